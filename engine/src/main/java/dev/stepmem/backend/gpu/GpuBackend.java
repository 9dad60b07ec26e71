package dev.stepmem.backend.gpu;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.DeviceOutOfMemoryException;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.RopeStyle;
import dev.stepmem.backend.Tensor;
import dev.stepmem.backend.gpu.KernelCatalog.Program;
import dev.stepmem.backend.gpu.Staging.Slot;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link Backend} on a GPU API: for every op, which kernel of {@code resources/kernels}, with
 * which arguments and which launch geometry. Shared by the OpenCL and CUDA backends, which differ
 * only in their {@link DeviceRuntime}; so all of this runs in the tests on PoCL.
 *
 * <p>Memory: every {@link #allocate} and {@link #upload} is charged to the ledger with the same
 * labels and bytes as the CPU backends (weights stay in their own dtype on the device and are
 * widened inside the kernels), so ledger figures compare across devices. Index arithmetic in the
 * kernels is 32-bit: a tensor must stay below 2^31 elements.
 */
public class GpuBackend implements Backend {
    private static final int ELEMENTWISE_LOCAL = 256;
    private static final int GRID2D_LOCAL = 64;

    private final String name;
    private final DeviceRuntime runtime;
    private final MemoryLedger ledger;
    private final Staging staging;
    private final KernelCatalog catalog = KernelCatalog.get();
    /** The RoPE table last written to the FREQUENCIES slot, and that slot's buffer then (a closed staging renews it). */
    private float[] frequenciesOnDevice;
    private DeviceBuffer frequenciesBuffer;
    private long toDeviceCount, toDeviceBytes, toHostCount, toHostBytes;

    public GpuBackend(String name, DeviceRuntime runtime, MemoryLedger ledger) {
        this.name = name;
        this.runtime = runtime;
        this.ledger = ledger;
        this.staging = new Staging(runtime);
    }

    @Override
    public String name() {
        return name;
    }

    /** Waits for the queued work first, so a reading covers everything issued before it. */
    @Override
    public long nanoTime() {
        runtime.finish();
        return System.nanoTime();
    }

    public DeviceRuntime runtime() {
        return runtime;
    }

    /** Host-device copies so far (every write and read of this backend, staging included). */
    public Transfers transfers() {
        return new Transfers(toDeviceCount, toDeviceBytes, toHostCount, toHostBytes);
    }

    @Override
    public MemoryLedger ledger() {
        return ledger;
    }

    // ---- memory ----

    @Override
    public Tensor allocate(String label, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("buffer " + label + ": bad shape [" + rows + ", " + cols + "]");
        }
        GpuTensor t = newTensor(label, DType.F32, rows, cols);
        fillZero(t, 0, rows);
        return t;
    }

    @Override
    public Tensor upload(HostTensor weight) {
        GpuTensor t = newTensor("weights." + weight.name(), weight.dtype(), weight.rows(), weight.cols());
        MemorySegment data = weight.data();
        if (data.isNative()) {
            toDevice(t.buffer, 0, data);
        } else { // a heap-backed tensor: the APIs copy from native memory
            try (Arena arena = Arena.ofConfined()) {
                toDevice(t.buffer, 0, arena.allocate(data.byteSize(), 64).copyFrom(data));
            }
        }
        return t;
    }

    private GpuTensor newTensor(String label, DType dtype, int rows, int cols) {
        long elements = (long) rows * cols;
        if (elements > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("buffer " + label + " [" + rows + ", " + cols + "] has more than 2^31 "
                    + "elements, beyond the kernels' 32-bit indexing");
        }
        long bytes = elements * dtype.bytes();
        ledger.charge(label, bytes);
        try {
            return new GpuTensor(label, dtype, rows, cols, runtime.allocate(bytes), this);
        } catch (DeviceAllocationException e) {
            ledger.release(label, bytes);
            throw new DeviceOutOfMemoryException(label, bytes, ledger.current(), ledger.current() + bytes - 1);
        }
    }

    @Override
    public void free(Tensor t) {
        GpuTensor g = own(t);
        runtime.free(g.buffer);
        ledger.release(g.label(), g.byteSize());
    }

    @Override
    public void write(Tensor dst, int row, float[] src, int nRows) {
        GpuTensor d = f32(dst);
        checkRows(d, row, nRows);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate((long) nRows * d.cols() * 4, 64);
            MemorySegment.copy(src, 0, host, HostTensor.F32_LE, 0, nRows * d.cols());
            toDevice(d.buffer, (long) row * d.cols() * 4, host);
        }
    }

    @Override
    public void read(Tensor src, int row, int nRows, float[] dst) {
        GpuTensor s = f32(src);
        checkRows(s, row, nRows);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate((long) nRows * s.cols() * 4, 64);
            toHost(s.buffer, (long) row * s.cols() * 4, host);
            MemorySegment.copy(host, HostTensor.F32_LE, 0, dst, 0, nRows * s.cols());
        }
    }

    @Override
    public void copyRows(Tensor src, int srcRow, Tensor dst, int dstRow, int nRows) {
        GpuTensor s = f32(src), d = f32(dst);
        if (s.cols() != d.cols()) {
            throw new IllegalArgumentException("copyRows " + s.label() + " -> " + d.label() + ": cols differ");
        }
        checkRows(s, srcRow, nRows);
        checkRows(d, dstRow, nRows);
        if (nRows > 0) {
            long rowBytes = (long) s.cols() * 4;
            runtime.copy(s.buffer, srcRow * rowBytes, d.buffer, dstRow * rowBytes, nRows * rowBytes);
        }
    }

    @Override
    public void fillZero(Tensor dst, int row, int nRows) {
        GpuTensor d = f32(dst);
        checkRows(d, row, nRows);
        int count = nRows * d.cols();
        if (count > 0) {
            launch1d("elementwise", "fill_zero", count, d.buffer, row * d.cols(), count);
        }
    }

    // ---- model ops ----

    @Override
    public void embedding(Tensor out, int[] tokens, Tensor table) {
        GpuTensor o = f32(out), tab = own(table);
        checkRows(o, 0, tokens.length);
        for (int t = 0; t < tokens.length; t++) {
            if (tokens[t] < 0 || tokens[t] >= tab.rows()) {
                throw new IllegalArgumentException("token id " + tokens[t] + " at position " + t
                        + " is outside the vocabulary [0, " + tab.rows() + ")");
            }
        }
        if (o.cols() != tab.cols()) {
            throw new IllegalArgumentException("embedding: " + o.label() + " has " + o.cols() + " cols, table " + tab.cols());
        }
        DeviceBuffer ids = upload(Slot.TOKENS, tokens);
        int d = tab.cols(), rows = tokens.length;
        runtime.launch(kernel("embedding_" + suffix(tab.dtype()), "embedding"),
                new int[] {roundUp(d, GRID2D_LOCAL), rows}, new int[] {GRID2D_LOCAL, 1}, o.buffer, ids, tab.buffer, d, rows);
    }

    @Override
    public void rmsnorm(Tensor out, Tensor x, Tensor weight, int rows, float eps) {
        GpuTensor o = f32(out), in = f32(x), w = f32(weight);
        checkRows(in, 0, rows);
        checkRows(o, 0, rows);
        int local = program("rmsnorm").intDefine("RMS_LOCAL");
        runtime.launch(kernel("rmsnorm", "rmsnorm"), new int[] {local * rows}, new int[] {local},
                o.buffer, in.buffer, w.buffer, in.cols(), eps);
    }

    @Override
    public void matmul(Tensor out, Tensor x, Tensor w, int rows) {
        checkMatmul(out, x, w, rows);
        GpuTensor o = f32(out), in = f32(x), wt = own(w);
        int k = in.cols(), n = wt.rows();
        String programName = "gemm_" + suffix(wt.dtype());
        Program p = program(programName);
        int tm = p.intDefine("GEMM_TM"), tn = p.intDefine("GEMM_TN");
        int lx = tn / p.intDefine("GEMM_RN"), ly = tm / p.intDefine("GEMM_RM");
        runtime.launch(kernel(programName, "gemm"), new int[] {ceilDiv(n, tn) * lx, ceilDiv(rows, tm) * ly},
                new int[] {lx, ly}, o.buffer, in.buffer, wt.buffer, rows, n, k);
    }

    /** The checks of {@link #matmul}: out [rows, n] = x [rows, k] . w [n, k]^T, x and out fp32. */
    protected final void checkMatmul(Tensor out, Tensor x, Tensor w, int rows) {
        GpuTensor o = f32(out), in = f32(x), wt = own(w);
        int k = in.cols(), n = wt.rows();
        if (wt.cols() != k || o.cols() != n) {
            throw new IllegalArgumentException("matmul: x [" + rows + ", " + k + "] . " + wt.label() + " [" + n + ", "
                    + wt.cols() + "]^T -> " + o.label() + " [.., " + o.cols() + "]: shapes do not match");
        }
        checkRows(in, 0, rows);
        checkRows(o, 0, rows);
    }

    /** The device buffer of a tensor of this backend (for a vendor library's call). */
    protected final DeviceBuffer bufferOf(Tensor t) {
        return own(t).buffer;
    }

    /**
     * The first {@code count} elements of an fp32 tensor rounded to bf16 or fp16 (narrow.cl), in a
     * staging buffer valid until the next call: the activations of a vendor GEMM, whose operands
     * must share the weight's type.
     */
    protected final DeviceBuffer narrowed(Tensor x, int count, DType type) {
        GpuTensor in = f32(x);
        if (type == DType.F32 || count < 0 || count > in.rows() * in.cols()) {
            throw new IllegalArgumentException("narrow: " + count + " elements of " + in.label() + " to " + type);
        }
        DeviceBuffer out = staging.get(Slot.NARROWED, (long) count * 2);
        if (count > 0) {
            launch1d("narrow_" + suffix(type), "narrow", count, out, in.buffer, count);
        }
        return out;
    }

    @Override
    public void rope(Tensor x, int rows, int nHeads, int headSize, int firstPosition, float[] invFreq, RopeStyle style) {
        GpuTensor xt = f32(x);
        checkRows(xt, 0, rows);
        if (invFreq.length < headSize / 2) {
            throw new IllegalArgumentException("rope: " + invFreq.length + " frequencies for head size " + headSize);
        }
        float[] wanted = Arrays.copyOf(invFreq, headSize / 2);
        DeviceBuffer freq = staging.get(Slot.FREQUENCIES, (long) wanted.length * 4);
        // every layer rotates with the same table: write it only when it or its buffer changed
        if (freq != frequenciesBuffer || !Arrays.equals(wanted, frequenciesOnDevice)) {
            freq = upload(Slot.FREQUENCIES, wanted);
            frequenciesOnDevice = wanted;
            frequenciesBuffer = freq;
        }
        int count = rows * nHeads * (headSize / 2);
        if (count > 0) {
            launch1d("rope", "rope", count, xt.buffer, freq, rows, nHeads, headSize, firstPosition,
                    style == RopeStyle.ROTATE_HALF ? 1 : 0);
        }
    }

    @Override
    public void attention(Tensor out, Tensor q, Tensor k, Tensor v, int nQueries, int nKeys,
                          int nHeads, int nKvHeads, int headSize) {
        checkAttention(q, k, nQueries, nKeys, nHeads, nKvHeads, headSize, "attention_flash");
        GpuTensor o = f32(out), vt = f32(v);
        checkRows(o, 0, nQueries);
        checkRows(vt, 0, nKeys);
        Program p = program("attention_flash");
        int bq = p.intDefine("ATT_BQ"), td = p.intDefine("ATT_TD");
        runtime.launch(kernel("attention_flash", "attention_flash"),
                new int[] {td, ceilDiv(nQueries, bq) * bq, nHeads}, new int[] {td, bq, 1},
                o.buffer, f32(q).buffer, f32(k).buffer, vt.buffer, nQueries, nKeys, nHeads, nKvHeads, headSize);
    }

    @Override
    public void attentionProbabilities(Tensor probs, Tensor q, Tensor k, int nQueries, int nKeys,
                                       int nHeads, int nKvHeads, int headSize) {
        checkAttention(q, k, nQueries, nKeys, nHeads, nKvHeads, headSize, "attention_eager");
        GpuTensor pt = f32(probs);
        checkProbs(pt, nQueries, nKeys, nHeads);
        int local = program("attention_eager").intDefine("EAGER_LOCAL");
        runtime.launch(kernel("attention_eager", "attention_probabilities"),
                new int[] {local * nQueries, nHeads}, new int[] {local, 1},
                pt.buffer, f32(q).buffer, f32(k).buffer, nQueries, nKeys, nHeads, nKvHeads, headSize);
    }

    @Override
    public void attentionApply(Tensor out, Tensor probs, Tensor v, int nQueries, int nKeys,
                               int nHeads, int nKvHeads, int headSize) {
        GpuTensor o = f32(out), pt = f32(probs), vt = f32(v);
        checkHeads(nHeads, nKvHeads);
        checkProbs(pt, nQueries, nKeys, nHeads);
        checkRows(o, 0, nQueries);
        checkRows(vt, 0, nKeys);
        int tile = program("attention_eager").intDefine("APPLY_TILE");
        runtime.launch(kernel("attention_eager", "attention_apply"),
                new int[] {roundUp(headSize, tile), roundUp(nQueries, tile), nHeads}, new int[] {tile, tile, 1},
                o.buffer, pt.buffer, vt.buffer, nQueries, nKeys, nHeads, nKvHeads, headSize);
    }

    @Override
    public float[][] probabilityWindowSums(Tensor probs, int nQueries, int nKeys, int windowRows, int nHeads) {
        GpuTensor pt = f32(probs);
        checkProbs(pt, nQueries, nKeys, nHeads);
        checkWindow(windowRows, nQueries);
        DeviceBuffer sums = staging.get(Slot.SUMS, (long) nHeads * nKeys * 4);
        runtime.launch(kernel("attention_eager", "probability_window_sums"),
                new int[] {roundUp(nKeys, GRID2D_LOCAL), nHeads}, new int[] {GRID2D_LOCAL, 1},
                sums, pt.buffer, nQueries, nKeys, windowRows, nHeads);
        return readMatrix(sums, nHeads, nKeys);
    }

    @Override
    public float[][] attentionWindowScores(Tensor q, Tensor k, int nQueries, int nKeys, int windowRows,
                                           int nHeads, int nKvHeads, int headSize) {
        checkAttention(q, k, nQueries, nKeys, nHeads, nKvHeads, headSize, "window_scores");
        checkWindow(windowRows, nQueries);
        DeviceBuffer sums = staging.get(Slot.SUMS, (long) nHeads * nKeys * 4);
        if (windowRows == 0) {
            return new float[nHeads][nKeys];
        }
        DeviceBuffer stats = staging.get(Slot.STATS, (long) nHeads * windowRows * 2 * 4);
        int local = program("window_scores").intDefine("WINDOW_LOCAL");
        GpuTensor qt = f32(q), kt = f32(k);
        runtime.launch(kernel("window_scores", "window_softmax_stats"),
                new int[] {local * windowRows, nHeads}, new int[] {local, 1},
                stats, qt.buffer, kt.buffer, nQueries, nKeys, windowRows, nHeads, nKvHeads, headSize);
        runtime.launch(kernel("window_scores", "window_score_sums"),
                new int[] {roundUp(nKeys, GRID2D_LOCAL), nHeads}, new int[] {GRID2D_LOCAL, 1},
                sums, qt.buffer, kt.buffer, stats, nQueries, nKeys, windowRows, nHeads, nKvHeads, headSize);
        return readMatrix(sums, nHeads, nKeys);
    }

    @Override
    public void compactKv(Tensor k, Tensor v, int firstRow, int[][] keep, int headSize) {
        GpuTensor kt = f32(k), vt = f32(v);
        if (kt.cols() != vt.cols() || kt.rows() != vt.rows()) {
            throw new IllegalArgumentException("compactKv: " + kt.label() + " and " + vt.label() + " differ in shape");
        }
        checkHeadSize(headSize, "compact_kv");
        int maxKeep = 0;
        for (int g = 0; g < keep.length; g++) {
            int[] rows = keep[g];
            for (int r = 0; r < rows.length; r++) {
                if (rows[r] < r || (r > 0 && rows[r] <= rows[r - 1])) {
                    throw new IllegalArgumentException("compactKv: indices of KV head " + g
                            + " must be strictly ascending, got " + Arrays.toString(rows));
                }
                checkRows(kt, firstRow + rows[r], 1);
            }
            maxKeep = Math.max(maxKeep, rows.length);
        }
        if (maxKeep == 0 || keep.length * headSize > kt.cols()) {
            if (maxKeep == 0) {
                return;
            }
            throw new IllegalArgumentException("compactKv: " + keep.length + " KV heads of " + headSize
                    + " columns do not fit " + kt.label() + " with " + kt.cols() + " columns");
        }
        int[] flat = new int[keep.length * maxKeep], counts = new int[keep.length];
        for (int g = 0; g < keep.length; g++) {
            System.arraycopy(keep[g], 0, flat, g * maxKeep, keep[g].length);
            counts[g] = keep[g].length;
        }
        DeviceBuffer indices = upload(Slot.INDICES, flat), countBuffer = upload(Slot.COUNTS, counts);
        int local = program("compact_kv").intDefine("COMPACT_LOCAL");
        runtime.launch(kernel("compact_kv", "compact_kv"), new int[] {local * keep.length}, new int[] {local},
                kt.buffer, vt.buffer, indices, countBuffer, maxKeep, firstRow, headSize, kt.cols());
    }

    @Override
    public void swiglu(Tensor gate, Tensor up, int rows) {
        GpuTensor g = f32(gate), u = f32(up);
        checkRows(g, 0, rows);
        checkRows(u, 0, rows);
        int count = rows * g.cols();
        if (count > 0) {
            launch1d("elementwise", "swiglu", count, g.buffer, u.buffer, count);
        }
    }

    @Override
    public void add(Tensor x, Tensor y, int rows) {
        GpuTensor a = f32(x), b = f32(y);
        checkRows(a, 0, rows);
        checkRows(b, 0, rows);
        int count = rows * a.cols();
        if (count > 0) {
            launch1d("elementwise", "add", count, a.buffer, b.buffer, count);
        }
    }

    // ---- device-side SnapKV selection and losses (beyond the Backend interface) ----

    /**
     * SnapKV's steps 2-5 on the device (snapkv.cl), from per-query-head window sums [nHeads][nKeys]
     * (as {@link #attentionWindowScores} returns them): scores of the candidates, keys
     * [firstCandidate, firstCandidate + nCandidates), then the top {@code keep} per KV head,
     * ascending. The same selection as prefill/compress/SnapKv on the host.
     */
    public int[][] selectSnapKv(float[][] windowSums, int firstCandidate, int nCandidates, int windowRows, int keep,
                                int nKvHeads, boolean stridedGrouping) {
        DeviceBuffer scores = snapKvScoresOnDevice(windowSums, firstCandidate, nCandidates, windowRows, nKvHeads,
                stridedGrouping);
        int local = program("snapkv").intDefine("TOPK_LOCAL");
        DeviceBuffer flags = staging.get(Slot.FLAGS, (long) nKvHeads * nCandidates * 4);
        DeviceBuffer indices = staging.get(Slot.INDICES, (long) nKvHeads * keep * 4);
        int[] global = {roundUp(nCandidates, local), nKvHeads}, group = {local, 1};
        runtime.launch(kernel("snapkv", "topk_flags"), global, group, flags, scores, nCandidates, keep);
        runtime.launch(kernel("snapkv", "topk_indices"), global, group, indices, flags, nCandidates, keep);
        int[] flat = readInts(indices, nKvHeads * keep);
        int[][] out = new int[nKvHeads][];
        for (int g = 0; g < nKvHeads; g++) {
            out[g] = Arrays.copyOfRange(flat, g * keep, (g + 1) * keep);
        }
        return out;
    }

    /** SnapKV's steps 2-4 only (group sum, pooling, normalization): scores [nKvHeads][nCandidates]. */
    public float[][] snapKvScores(float[][] windowSums, int firstCandidate, int nCandidates, int windowRows,
                                  int nKvHeads, boolean stridedGrouping) {
        DeviceBuffer scores = snapKvScoresOnDevice(windowSums, firstCandidate, nCandidates, windowRows, nKvHeads,
                stridedGrouping);
        return readMatrix(scores, nKvHeads, nCandidates);
    }

    private DeviceBuffer snapKvScoresOnDevice(float[][] windowSums, int firstCandidate, int nCandidates,
                                              int windowRows, int nKvHeads, boolean strided) {
        int nHeads = windowSums.length, nKeys = windowSums[0].length;
        checkHeads(nHeads, nKvHeads);
        if (firstCandidate < 0 || firstCandidate + nCandidates > nKeys || windowRows < 1 || windowRows > nCandidates) {
            throw new IllegalArgumentException("snapkv: candidates [" + firstCandidate + ", " + (firstCandidate
                    + nCandidates) + ") and window " + windowRows + " do not fit " + nKeys + " keys");
        }
        float[] flat = new float[nHeads * nKeys];
        for (int h = 0; h < nHeads; h++) {
            System.arraycopy(windowSums[h], 0, flat, h * nKeys, nKeys);
        }
        DeviceBuffer sums = upload(Slot.SUMS, flat);
        DeviceBuffer scores = staging.get(Slot.SCORES, (long) nKvHeads * nCandidates * 4);
        runtime.launch(kernel("snapkv", "snapkv_scores"),
                new int[] {roundUp(nCandidates, GRID2D_LOCAL), nKvHeads}, new int[] {GRID2D_LOCAL, 1},
                scores, sums, nKeys, firstCandidate, nCandidates, windowRows, nHeads, nKvHeads, strided ? 1 : 0);
        return scores;
    }

    /** Computed on the device (cross_entropy.cl), so only rows floats come back instead of [rows, V] logits. */
    @Override
    public double[] crossEntropy(Tensor logits, int rows, int[] targets) {
        GpuTensor lt = f32(logits);
        checkRows(lt, 0, rows);
        for (int t = 0; t < rows; t++) {
            if (targets[t] < 0 || targets[t] >= lt.cols()) {
                throw new IllegalArgumentException("target " + targets[t] + " at row " + t + " is outside [0, "
                        + lt.cols() + ")");
            }
        }
        if (rows == 0) {
            return new double[0];
        }
        DeviceBuffer ids = upload(Slot.TARGETS, Arrays.copyOf(targets, rows));
        DeviceBuffer losses = staging.get(Slot.LOSSES, (long) rows * 4);
        int local = program("cross_entropy").intDefine("CE_LOCAL");
        runtime.launch(kernel("cross_entropy", "cross_entropy"), new int[] {local * rows}, new int[] {local},
                losses, lt.buffer, ids, lt.cols());
        float[] f = readMatrix(losses, 1, rows)[0];
        double[] out = new double[rows];
        for (int t = 0; t < rows; t++) {
            out[t] = f[t];
        }
        return out;
    }

    /**
     * The driver's view of memory beside the ledger's (CUDA only: cuMemGetInfo). The driver counts
     * whole pages, its own context and other processes, so it reads at least the ledger's figure.
     */
    public String memoryCrossCheck(long driverFreeAtStart) {
        var free = runtime.driverFreeBytes();
        if (free.isEmpty()) {
            return "the " + name + " driver does not report free memory";
        }
        long used = driverFreeAtStart - free.getAsLong();
        return String.format(Locale.ROOT, "ledger holds %,d bytes; the driver's free memory fell by %,d bytes%s",
                ledger.current(), used, used < ledger.current() ? " (LESS than the ledger: an allocation was not charged?)" : "");
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public void close() {
        staging.close();
        runtime.close();
    }

    /** The largest head size the attention kernels take (HEAD_MAX of kernels/programs.list; LLaMA needs 128). */
    public static int maxHeadSize() {
        return KernelCatalog.get().programs().stream().filter(p -> p.defines().containsKey("HEAD_MAX"))
                .mapToInt(p -> p.intDefine("HEAD_MAX")).min().orElseThrow();
    }

    // ---- helpers ----

    private void toDevice(DeviceBuffer dst, long dstOffset, MemorySegment src) {
        toDeviceCount++;
        toDeviceBytes += src.byteSize();
        runtime.write(dst, dstOffset, src);
    }

    private void toHost(DeviceBuffer src, long srcOffset, MemorySegment dst) {
        toHostCount++;
        toHostBytes += dst.byteSize();
        runtime.read(src, srcOffset, dst);
    }

    private void launch1d(String program, String kernelName, int count, Object... args) {
        runtime.launch(kernel(program, kernelName), new int[] {roundUp(count, ELEMENTWISE_LOCAL)},
                new int[] {ELEMENTWISE_LOCAL}, args);
    }

    private DeviceKernel kernel(String program, String kernelName) {
        return runtime.kernel(program, kernelName);
    }

    private Program program(String programName) {
        return catalog.program(programName);
    }

    private DeviceBuffer upload(Slot slot, int[] values) {
        DeviceBuffer b = staging.get(slot, (long) values.length * 4);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate((long) Math.max(1, values.length) * 4, 64);
            MemorySegment.copy(values, 0, host, ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN),
                    0, values.length);
            toDevice(b, 0, host.asSlice(0, (long) values.length * 4));
        }
        return b;
    }

    private DeviceBuffer upload(Slot slot, float[] values) {
        DeviceBuffer b = staging.get(slot, (long) values.length * 4);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate((long) Math.max(1, values.length) * 4, 64);
            MemorySegment.copy(values, 0, host, HostTensor.F32_LE, 0, values.length);
            toDevice(b, 0, host.asSlice(0, (long) values.length * 4));
        }
        return b;
    }

    private float[][] readMatrix(DeviceBuffer b, int rows, int cols) {
        float[][] out = new float[rows][cols];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate((long) Math.max(1, rows * cols) * 4, 64);
            toHost(b, 0, host.asSlice(0, (long) rows * cols * 4));
            for (int r = 0; r < rows; r++) {
                MemorySegment.copy(host, HostTensor.F32_LE, (long) r * cols * 4, out[r], 0, cols);
            }
        }
        return out;
    }

    private int[] readInts(DeviceBuffer b, int n) {
        int[] out = new int[n];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate((long) Math.max(1, n) * 4, 64);
            toHost(b, 0, host.asSlice(0, (long) n * 4));
            MemorySegment.copy(host, ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0,
                    out, 0, n);
        }
        return out;
    }

    private GpuTensor own(Tensor t) {
        if (t instanceof GpuTensor g && g.owner == this) {
            return g;
        }
        throw new IllegalArgumentException("tensor " + t.label() + " belongs to another backend");
    }

    private GpuTensor f32(Tensor t) {
        GpuTensor g = own(t);
        if (g.dtype() != DType.F32) {
            throw new IllegalArgumentException("tensor " + g.label() + " must be F32, is " + g.dtype());
        }
        return g;
    }

    private static String suffix(DType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private void checkAttention(Tensor q, Tensor k, int nQueries, int nKeys, int nHeads, int nKvHeads, int headSize,
                                String programName) {
        checkHeads(nHeads, nKvHeads);
        checkHeadSize(headSize, programName);
        if (nQueries > nKeys) {
            throw new IllegalArgumentException("attention: " + nQueries + " queries but only " + nKeys + " keys");
        }
        checkRows(f32(q), 0, nQueries);
        checkRows(f32(k), 0, nKeys);
    }

    private void checkHeadSize(int headSize, String programName) {
        int max = program(programName).intDefine("HEAD_MAX");
        if (headSize < 1 || headSize > max) {
            throw new IllegalArgumentException("head size " + headSize + " is outside the kernels' [1, " + max
                    + "] (HEAD_MAX in kernels/programs.list)");
        }
    }

    private static void checkHeads(int nHeads, int nKvHeads) {
        if (nHeads < 1 || nKvHeads < 1 || nHeads % nKvHeads != 0) {
            throw new IllegalArgumentException("nHeads " + nHeads + " must be a positive multiple of nKvHeads " + nKvHeads);
        }
    }

    private static void checkProbs(GpuTensor p, int nQueries, int nKeys, int nHeads) {
        if (p.cols() < nKeys || (long) p.rows() < (long) nHeads * nQueries || p.cols() != nKeys) {
            throw new IllegalArgumentException("probabilities " + p.label() + " [" + p.rows() + ", " + p.cols()
                    + "] do not hold [" + nHeads + " * " + nQueries + ", " + nKeys + "]");
        }
    }

    private static void checkWindow(int windowRows, int nQueries) {
        if (windowRows < 0 || windowRows > nQueries) {
            throw new IllegalArgumentException("window of " + windowRows + " rows outside [0, " + nQueries + "]");
        }
    }

    static void checkRows(Tensor t, int row, int nRows) {
        if (row < 0 || nRows < 0 || (long) row + nRows > t.rows()) {
            throw new IndexOutOfBoundsException("rows [" + row + ", " + (row + nRows) + ") outside "
                    + t.label() + " with " + t.rows() + " rows");
        }
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static int roundUp(int a, int b) {
        return ceilDiv(a, b) * b;
    }
}
