package dev.stepmem.backend.cpu;

import static dev.stepmem.tensor.HostTensor.F32_LE;

import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.RopeStyle;
import dev.stepmem.backend.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast pure-Java backend: Vector API inner loops, work split over all cores by
 * {@link Parallel}, activations off-heap. Each op mirrors one in {@link ReferenceBackend}, and
 * BackendOpsTest holds the two together. Hot loops stay inside one method so the JIT keeps the
 * vector accumulators in registers (see STACK.md).
 */
public final class CpuBackend extends HostMemoryBackend {

    /** A backend with no memory limit (the ledger still counts). */
    public CpuBackend() {
        this(new MemoryLedger());
    }

    public CpuBackend(MemoryLedger ledger) {
        super(ledger);
    }
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public void matmul(Tensor out, Tensor x, Tensor w, int rows) {
        CpuTensor o = f32(out), in = f32(x), wt = CpuTensor.of(w);
        if (wt.cols() != in.cols() || o.cols() != wt.rows()) {
            throw new IllegalArgumentException("matmul " + in.label() + " [" + rows + ", " + in.cols() + "] x "
                    + wt.label() + "^T [" + wt.cols() + ", " + wt.rows() + "] -> " + o.label() + " [" + rows
                    + ", " + o.cols() + "]: shapes do not match");
        }
        checkRows(in, 0, rows);
        checkRows(o, 0, rows);
        CpuMatmul.matmul(o.data, in.data, wt.data, wt.dtype(), rows, wt.rows(), wt.cols());
    }

    @Override
    public void rmsnorm(Tensor out, Tensor x, Tensor weight, int rows, float eps) {
        CpuTensor o = f32(out), in = f32(x), w = f32(weight);
        int d = in.cols();
        Parallel.forRange(rows, 16, (from, to) -> {
            for (int t = from; t < to; t++) {
                long row = (long) t * d * 4;
                FloatVector acc = FloatVector.zero(F);
                int i = 0;
                for (; i < F.loopBound(d); i += F.length()) {
                    FloatVector v = FloatVector.fromMemorySegment(F, in.data, row + i * 4L, LE);
                    acc = v.fma(v, acc);
                }
                float ss = acc.reduceLanes(VectorOperators.ADD);
                for (; i < d; i++) {
                    float v = in.data.get(F32_LE, row + i * 4L);
                    ss += v * v;
                }
                float scale = (float) (1.0 / Math.sqrt(ss / d + eps));
                i = 0;
                for (; i < F.loopBound(d); i += F.length()) {
                    FloatVector v = FloatVector.fromMemorySegment(F, in.data, row + i * 4L, LE);
                    FloatVector g = FloatVector.fromMemorySegment(F, w.data, i * 4L, LE);
                    v.mul(scale).mul(g).intoMemorySegment(o.data, row + i * 4L, LE);
                }
                for (; i < d; i++) {
                    float v = in.data.get(F32_LE, row + i * 4L);
                    float g = w.data.get(F32_LE, i * 4L);
                    o.data.set(F32_LE, row + i * 4L, v * scale * g);
                }
            }
        });
    }

    @Override
    public void rope(Tensor x, int rows, int nHeads, int headSize, int firstPosition, float[] invFreq, RopeStyle style) {
        CpuTensor xt = f32(x);
        checkRows(xt, 0, rows);
        int half = headSize / 2, cols = xt.cols();
        boolean interleaved = style == RopeStyle.INTERLEAVED;
        MemorySegment seg = xt.data;
        Parallel.forRange(rows, 8, (from, to) -> {
            float[] cos = new float[half], sin = new float[half];
            for (int t = from; t < to; t++) {
                int pos = firstPosition + t;
                for (int i = 0; i < half; i++) {
                    float angle = pos * invFreq[i]; // same float product as the reference
                    cos[i] = (float) Math.cos(angle);
                    sin[i] = (float) Math.sin(angle);
                }
                long row = (long) t * cols * 4;
                for (int h = 0; h < nHeads; h++) {
                    long head = row + (long) h * headSize * 4;
                    for (int i = 0; i < half; i++) {
                        long a = head + 4L * (interleaved ? 2 * i : i);
                        long b = head + 4L * (interleaved ? 2 * i + 1 : i + half);
                        float x0 = seg.get(F32_LE, a), x1 = seg.get(F32_LE, b);
                        seg.set(F32_LE, a, x0 * cos[i] - x1 * sin[i]);
                        seg.set(F32_LE, b, x0 * sin[i] + x1 * cos[i]);
                    }
                }
            }
        });
    }

    /**
     * Reused per call: keys and values of every KV head transposed to [nKvHeads][headSize][S], so
     * scores for a run of keys are plain FMAs (no per-key horizontal sum) and the output needs one
     * reduction per head dimension instead of one per key. Grown as needed; not for concurrent forwards.
     */
    private float[] keysT = new float[0];
    private float[] valuesT = new float[0];

    @Override
    public void attention(Tensor out, Tensor q, Tensor k, Tensor v, int nQueries, int nKeys,
                          int nHeads, int nKvHeads, int headSize) {
        CpuTensor o = f32(out), qt = f32(q), kt = f32(k), vt = f32(v);
        checkRows(qt, 0, nQueries);
        checkRows(o, 0, nQueries);
        checkRows(kt, 0, nKeys);
        checkRows(vt, 0, nKeys);
        int group = nHeads / nKvHeads;
        int s = nKeys;
        long need = (long) nKvHeads * headSize * s;
        if (need > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("attention over " + nKeys + " keys is too large for one call");
        }
        if (keysT.length < need) {
            keysT = new float[(int) need];
            valuesT = new float[(int) need];
        }
        float[] kT = keysT, vT = valuesT;
        int kvCols = kt.cols();
        // kT[g][i][j] = k[j, g*hs + i]: one pass over the keys, parallel over key rows.
        Parallel.forRange(s, 64, (from, to) -> {
            for (int j = from; j < to; j++) {
                long row = (long) j * kvCols * 4;
                for (int c = 0; c < nKvHeads * headSize; c++) { // c = g * headSize + i
                    kT[c * s + j] = kt.data.get(F32_LE, row + c * 4L);
                    vT[c * s + j] = vt.data.get(F32_LE, row + c * 4L);
                }
            }
        });
        float scale = (float) (1.0 / Math.sqrt(headSize));
        int qCols = qt.cols();
        // One work item = one (query, head) pair: its scores, softmax and weighted sum of values.
        Parallel.forRange(nQueries * nHeads, 4, (from, to) -> {
            float[] scores = new float[s];
            float[] qh = new float[headSize];
            for (int item = from; item < to; item++) {
                int t = item / nHeads, h = item % nHeads, g = h / group;
                int visible = s - nQueries + t + 1; // causal: keys 0 .. S - T + t
                int bound = F.loopBound(visible);
                MemorySegment.copy(qt.data, F32_LE, ((long) t * qCols + (long) h * headSize) * 4, qh, 0, headSize);
                // scores[j] = scale * sum_i q[i] * kT[g][i][j], four head dimensions per pass over scores
                java.util.Arrays.fill(scores, 0, visible, 0f);
                int i = 0;
                for (; i + 4 <= headSize; i += 4) {
                    float q0 = qh[i] * scale, q1 = qh[i + 1] * scale, q2 = qh[i + 2] * scale, q3 = qh[i + 3] * scale;
                    FloatVector v0 = FloatVector.broadcast(F, q0), v1 = FloatVector.broadcast(F, q1);
                    FloatVector v2 = FloatVector.broadcast(F, q2), v3 = FloatVector.broadcast(F, q3);
                    int b0 = (g * headSize + i) * s, b1 = b0 + s, b2 = b1 + s, b3 = b2 + s;
                    int j = 0;
                    for (; j < bound; j += F.length()) {
                        FloatVector acc = FloatVector.fromArray(F, scores, j);
                        acc = v0.fma(FloatVector.fromArray(F, kT, b0 + j), acc);
                        acc = v1.fma(FloatVector.fromArray(F, kT, b1 + j), acc);
                        acc = v2.fma(FloatVector.fromArray(F, kT, b2 + j), acc);
                        acc = v3.fma(FloatVector.fromArray(F, kT, b3 + j), acc);
                        acc.intoArray(scores, j);
                    }
                    for (; j < visible; j++) {
                        scores[j] += q0 * kT[b0 + j] + q1 * kT[b1 + j] + q2 * kT[b2 + j] + q3 * kT[b3 + j];
                    }
                }
                for (; i < headSize; i++) {
                    float qs = qh[i] * scale;
                    int base = (g * headSize + i) * s;
                    for (int j = 0; j < visible; j++) {
                        scores[j] += qs * kT[base + j];
                    }
                }
                // softmax over the visible keys
                FloatVector maxV = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
                int j = 0;
                for (; j < bound; j += F.length()) {
                    maxV = maxV.max(FloatVector.fromArray(F, scores, j));
                }
                float max = maxV.reduceLanes(VectorOperators.MAX);
                for (; j < visible; j++) {
                    max = Math.max(max, scores[j]);
                }
                FloatVector sumV = FloatVector.zero(F);
                for (j = 0; j < bound; j += F.length()) {
                    FloatVector e = FloatVector.fromArray(F, scores, j).sub(max).lanewise(VectorOperators.EXP);
                    e.intoArray(scores, j);
                    sumV = sumV.add(e);
                }
                float sum = sumV.reduceLanes(VectorOperators.ADD);
                for (; j < visible; j++) {
                    scores[j] = (float) Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                float inv = 1f / sum;
                // out[i] = sum_j p[j] * vT[g][i][j] / sum
                long oOff = ((long) t * qCols + (long) h * headSize) * 4;
                for (i = 0; i < headSize; i++) {
                    int base = (g * headSize + i) * s;
                    FloatVector acc = FloatVector.zero(F);
                    int jj = 0;
                    for (; jj < bound; jj += F.length()) {
                        acc = FloatVector.fromArray(F, scores, jj).fma(FloatVector.fromArray(F, vT, base + jj), acc);
                    }
                    float val = acc.reduceLanes(VectorOperators.ADD);
                    for (; jj < visible; jj++) {
                        val += scores[jj] * vT[base + jj];
                    }
                    o.data.set(F32_LE, oOff + i * 4L, val * inv);
                }
            }
        });
    }

    @Override
    public float[][] attentionWindowScores(Tensor q, Tensor k, int nQueries, int nKeys, int windowRows,
                                           int nHeads, int nKvHeads, int headSize) {
        CpuTensor qt = f32(q), kt = f32(k);
        checkRows(qt, 0, nQueries);
        checkRows(kt, 0, nKeys);
        if (windowRows < 0 || windowRows > nQueries) {
            throw new IllegalArgumentException("window of " + windowRows + " rows outside the " + nQueries + " queries");
        }
        int group = nHeads / nKvHeads;
        float scale = (float) (1.0 / Math.sqrt(headSize));
        long qRow = (long) qt.cols() * 4, kRow = (long) kt.cols() * 4;
        int bound = F.loopBound(headSize);
        float[][] sums = new float[nHeads][nKeys];
        // One work item = one head: its window rows accumulate into sums[h] (no sharing between threads).
        Parallel.forEach(nHeads, h -> {
            float[] p = new float[nKeys];
            float[] acc = sums[h];
            long kvOff = (long) (h / group) * headSize * 4;
            for (int t = nQueries - windowRows; t < nQueries; t++) {
                int visible = nKeys - nQueries + t + 1;
                long qOff = t * qRow + (long) h * headSize * 4;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < visible; j++) {
                    long kOff = j * kRow + kvOff;
                    FloatVector dot = FloatVector.zero(F);
                    int i = 0;
                    for (; i < bound; i += F.length()) {
                        dot = FloatVector.fromMemorySegment(F, qt.data, qOff + i * 4L, LE)
                                .fma(FloatVector.fromMemorySegment(F, kt.data, kOff + i * 4L, LE), dot);
                    }
                    float sc = dot.reduceLanes(VectorOperators.ADD);
                    for (; i < headSize; i++) {
                        sc += qt.data.get(F32_LE, qOff + i * 4L) * kt.data.get(F32_LE, kOff + i * 4L);
                    }
                    p[j] = sc * scale;
                    max = Math.max(max, p[j]);
                }
                float sum = 0;
                for (int j = 0; j < visible; j++) {
                    p[j] = (float) Math.exp(p[j] - max);
                    sum += p[j];
                }
                float inv = 1f / sum;
                for (int j = 0; j < visible; j++) {
                    acc[j] += p[j] * inv;
                }
            }
        });
        return sums;
    }

    @Override
    public void swiglu(Tensor gate, Tensor up, int rows) {
        CpuTensor g = f32(gate), u = f32(up);
        checkRows(g, 0, rows);
        long n = (long) rows * g.cols();
        elementwise(n, (from, to) -> {
            long i = from;
            for (; i + F.length() <= to; i += F.length()) {
                FloatVector x = FloatVector.fromMemorySegment(F, g.data, i * 4, LE);
                FloatVector y = FloatVector.fromMemorySegment(F, u.data, i * 4, LE);
                // silu(x) = x / (1 + e^-x)
                FloatVector silu = x.div(x.neg().lanewise(VectorOperators.EXP).add(1f));
                silu.mul(y).intoMemorySegment(g.data, i * 4, LE);
            }
            for (; i < to; i++) {
                float x = g.data.get(F32_LE, i * 4);
                float y = u.data.get(F32_LE, i * 4);
                g.data.set(F32_LE, i * 4, (float) (x / (1 + Math.exp(-x))) * y);
            }
        });
    }

    @Override
    public void add(Tensor x, Tensor y, int rows) {
        CpuTensor a = f32(x), b = f32(y);
        checkRows(a, 0, rows);
        long n = (long) rows * a.cols();
        elementwise(n, (from, to) -> {
            long i = from;
            for (; i + F.length() <= to; i += F.length()) {
                FloatVector.fromMemorySegment(F, a.data, i * 4, LE)
                        .add(FloatVector.fromMemorySegment(F, b.data, i * 4, LE))
                        .intoMemorySegment(a.data, i * 4, LE);
            }
            for (; i < to; i++) {
                a.data.set(F32_LE, i * 4, a.data.get(F32_LE, i * 4) + b.data.get(F32_LE, i * 4));
            }
        });
    }

    private interface LongRange {
        void run(long from, long to);
    }

    /** Splits [0, n) elements into chunks of whole vectors, one chunk per block of work. */
    private static void elementwise(long n, LongRange body) {
        int chunk = 1 << 14;
        int blocks = (int) ((n + chunk - 1) / chunk);
        Parallel.forRange(blocks, 1, (from, to) -> body.run((long) from * chunk, Math.min(n, (long) to * chunk)));
    }
}
