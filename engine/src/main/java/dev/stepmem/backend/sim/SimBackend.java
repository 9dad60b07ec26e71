package dev.stepmem.backend.sim;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.RopeStyle;
import dev.stepmem.backend.Tensor;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ImplementationProfile;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated device: runs the real prefill loop without arithmetic. Every op is costed by
 * {@link OpCost} as an {@link ImplementationProfile}'s code does it and timed by a
 * {@link Roofline} on a {@link DeviceProfile}; {@link #nanoTime()} is the sum so far, so
 * ChunkedPrefill's TTFT is the modeled TTFT. Allocations go through the ledger exactly as the CPU
 * backends charge them (fp32 activations, rows x cols x 4 bytes; weights under "weights.NAME" at
 * their own dtype), so the peak equals the CPU run's to the byte, unless
 * {@link Precision#modelActivationMemory} asks for activations at the modeled dtype or the
 * implementation profile says what its code holds (bytes per element by category, a reserve).
 *
 * <p>Ops that return data to the host return zeros of the right shape: SnapKV then selects by
 * ties. Selections differ from a real run, sizes do not, so time and memory are those of the
 * real code path; a modeled run has no perplexity and no meaningful first token.
 */
public final class SimBackend implements Backend {
    /** The ledger label of the implementation's reserve (its own category). */
    static final String RESERVE = "reserve";

    private final DeviceProfile profile;
    private final ImplementationProfile implementation;
    private final MemoryLedger ledger;
    private final Precision precision;
    private final Roofline roofline;
    /** Bytes of one activation element on the modeled device (time only, unless modelActivationMemory). */
    private final int a;
    private double seconds;
    private final Map<String, Double> secondsByOp = new TreeMap<>();

    /**
     * How the modeled device stores activations.
     *
     * @param activations           dtype of activations, attention maps and KV for time (bytes moved
     *                              and the attention rate): bf16 for the paper's GPUs, f32 to model
     *                              this engine's CPU backend
     * @param modelActivationMemory false (default): charge activations at 4 bytes as the CPU backends
     *                              do, so peaks equal theirs exactly; true: charge them at
     *                              {@code activations}' size, as a bf16 GPU engine would hold them
     */
    public record Precision(DType activations, boolean modelActivationMemory) {
        /** Activations as the profile's kind of device runs them: the matrix dtype on a GPU, fp32 on the CPU host. */
        public static Precision forDevice(DeviceProfile profile, DType matrixType) {
            return new Precision(profile.kind().equals("cpu") ? DType.F32 : matrixType, false);
        }
    }

    public SimBackend(DeviceProfile profile, ImplementationProfile implementation, MemoryLedger ledger,
                      Precision precision) {
        this.profile = profile;
        this.implementation = implementation;
        this.ledger = ledger;
        this.precision = precision;
        this.roofline = new Roofline(profile, implementation);
        this.a = precision.activations().bytes();
        if (implementation.memory() != null && implementation.memory().reserveBytes() > 0) {
            ledger.charge(RESERVE, implementation.memory().reserveBytes());
        }
    }

    @Override
    public String name() {
        return "sim:" + profile.name();
    }

    public DeviceProfile profile() {
        return profile;
    }

    public Precision precision() {
        return precision;
    }

    @Override
    public MemoryLedger ledger() {
        return ledger;
    }

    /** Modeled nanoseconds charged so far. */
    @Override
    public long nanoTime() {
        return Math.round(seconds * 1e9);
    }

    /** Modeled seconds per op name since construction. */
    public Map<String, Double> secondsByOp() {
        return new TreeMap<>(secondsByOp);
    }

    /** Framework dispatch is its own entry of {@link #secondsByOp()}, "dispatch" (absent when zero). */
    private void charge(OpCost cost, DType operands) {
        double s = roofline.seconds(cost, operands), d = roofline.dispatchSeconds(cost);
        seconds += s + d;
        secondsByOp.merge(cost.op(), s, Double::sum);
        if (d > 0) {
            secondsByOp.merge("dispatch", d, Double::sum);
        }
    }

    private void elementwise(String op, double elements, double passes, double flopsPerElement) {
        charge(OpCost.elementwise(op, elements * flopsPerElement, elements * passes * a), DType.F32);
    }

    // ---- memory: exactly the CPU backends' charges (HostMemoryBackend)

    @Override
    public Tensor allocate(String label, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("buffer " + label + ": bad shape [" + rows + ", " + cols + "]");
        }
        long bytes = (long) Math.ceil((double) rows * cols * bytesPerElement(label));
        ledger.charge(label, bytes);
        return new SimTensor(label, DType.F32, rows, cols, bytes);
    }

    /** What one element of this buffer costs: the flag's dtype, else the implementation's figure, else fp32. */
    private double bytesPerElement(String label) {
        ImplementationProfile.Memory m = implementation.memory();
        if (precision.modelActivationMemory()) {
            return a;
        }
        if (m == null) {
            return 4;
        }
        return switch (MemoryLedger.category(label)) {
            case "kv" -> m.kvBytes();
            case "scores" -> m.mapBytes();
            default -> m.activationBytes();
        };
    }

    /** Reads only the weight's name, shape and dtype: shape-only weights (no host memory) are enough. */
    @Override
    public Tensor upload(HostTensor weight) {
        String label = "weights." + weight.name();
        ledger.charge(label, weight.byteSize());
        return new SimTensor(label, weight.dtype(), weight.rows(), weight.cols(), weight.byteSize());
    }

    @Override
    public void free(Tensor t) {
        SimTensor s = SimTensor.of(t);
        ledger.release(s.label(), s.chargedBytes);
    }

    // ---- data movement

    @Override
    public void write(Tensor dst, int row, float[] src, int nRows) {
        checkRows(dst, row, nRows);
        elementwise("write", (double) nRows * dst.cols(), 1, 0);
    }

    @Override
    public void read(Tensor src, int row, int nRows, float[] dst) {
        checkRows(src, row, nRows);
        java.util.Arrays.fill(dst, 0, nRows * src.cols(), 0f);
        elementwise("read", (double) nRows * src.cols(), 1, 0);
    }

    @Override
    public void copyRows(Tensor src, int srcRow, Tensor dst, int dstRow, int nRows) {
        if (src.cols() != dst.cols()) {
            throw new IllegalArgumentException("copyRows " + src.label() + " -> " + dst.label() + ": cols differ");
        }
        checkRows(src, srcRow, nRows);
        checkRows(dst, dstRow, nRows);
        elementwise("copyRows", (double) nRows * src.cols(), 2, 0);
    }

    @Override
    public void fillZero(Tensor dst, int row, int nRows) {
        checkRows(dst, row, nRows);
        elementwise("fillZero", (double) nRows * dst.cols(), 1, 0);
    }

    @Override
    public void embedding(Tensor out, int[] tokens, Tensor table) {
        checkRows(out, 0, tokens.length);
        for (int t = 0; t < tokens.length; t++) {
            if (tokens[t] < 0 || tokens[t] >= table.rows()) {
                throw new IllegalArgumentException("token id " + tokens[t] + " at position " + t
                        + " is outside the vocabulary [0, " + table.rows() + ")");
            }
        }
        double n = (double) tokens.length * table.cols();
        charge(OpCost.elementwise("embedding", 0, n * table.dtype().bytes() + n * a), DType.F32);
    }

    // ---- compute

    @Override
    public void rmsnorm(Tensor out, Tensor x, Tensor weight, int rows, float eps) {
        elementwise("rmsnorm", (double) rows * x.cols(), 2, 4);
    }

    @Override
    public void matmul(Tensor out, Tensor x, Tensor w, int rows) {
        if (w.cols() != x.cols() || out.cols() != w.rows()) {
            throw new IllegalArgumentException("matmul " + x.label() + " [" + rows + ", " + x.cols() + "] x "
                    + w.label() + "^T [" + w.cols() + ", " + w.rows() + "] -> " + out.label() + ": shapes do not match");
        }
        checkRows(x, 0, rows);
        checkRows(out, 0, rows);
        charge(OpCost.matmul(rows, w.rows(), w.cols(), w.dtype().bytes(), a), w.dtype());
    }

    @Override
    public void rope(Tensor x, int rows, int nHeads, int headSize, int firstPosition, float[] invFreq, RopeStyle style) {
        checkRows(x, 0, rows);
        elementwise("rope", (double) rows * nHeads * headSize, 2, 3);
    }

    @Override
    public void attention(Tensor out, Tensor q, Tensor k, Tensor v, int nQueries, int nKeys,
                          int nHeads, int nKvHeads, int headSize) {
        checkRows(q, 0, nQueries);
        checkRows(k, 0, nKeys);
        // A padding implementation runs a (zero) query row for every position, as its eager path does.
        int queries = implementation.flashPadsMemory() ? nKeys : nQueries;
        charge(OpCost.flashAttention(queries, nKeys, nHeads, nKvHeads, headSize, a), precision.activations());
    }

    @Override
    public void attentionProbabilities(Tensor probs, Tensor q, Tensor k, int nQueries, int nKeys,
                                       int nHeads, int nKvHeads, int headSize) {
        checkRows(probs, 0, nHeads * nQueries);
        charge(OpCost.eagerProbabilities(nQueries, nKeys, nHeads, nKvHeads, headSize, a,
                implementation.mapPasses().probabilities()), precision.activations());
    }

    @Override
    public void attentionApply(Tensor out, Tensor probs, Tensor v, int nQueries, int nKeys,
                               int nHeads, int nKvHeads, int headSize) {
        checkRows(out, 0, nQueries);
        charge(OpCost.eagerApply(nQueries, nKeys, nHeads, nKvHeads, headSize, a, implementation.mapPasses().apply()),
                precision.activations());
    }

    @Override
    public float[][] probabilityWindowSums(Tensor probs, int nQueries, int nKeys, int windowRows, int nHeads) {
        charge(OpCost.windowSums(nKeys, windowRows, nHeads, a, implementation.mapPasses().windowSums()), DType.F32);
        return new float[nHeads][nKeys];
    }

    @Override
    public float[][] attentionWindowScores(Tensor q, Tensor k, int nQueries, int nKeys, int windowRows,
                                           int nHeads, int nKvHeads, int headSize) {
        charge(OpCost.windowScores(nQueries, nKeys, windowRows, nHeads, nKvHeads, headSize, a), precision.activations());
        return new float[nHeads][nKeys];
    }

    @Override
    public void compactKv(Tensor k, Tensor v, int firstRow, int[][] keep, int headSize) {
        long kept = 0;
        for (int[] head : keep) {
            kept += head.length;
        }
        charge(OpCost.compactKv(kept, headSize, a), DType.F32);
    }

    @Override
    public void swiglu(Tensor gate, Tensor up, int rows) {
        elementwise("swiglu", (double) rows * gate.cols(), 3, 6);
    }

    @Override
    public void add(Tensor x, Tensor y, int rows) {
        elementwise("add", (double) rows * x.cols(), 3, 1);
    }

    private static void checkRows(Tensor t, int row, int nRows) {
        if (row < 0 || nRows < 0 || (long) row + nRows > t.rows()) {
            throw new IndexOutOfBoundsException("rows [" + row + ", " + (row + nRows) + ") outside "
                    + t.label() + " with " + t.rows() + " rows");
        }
    }
}
