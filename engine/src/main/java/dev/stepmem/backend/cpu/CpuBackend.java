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
                float ss = LaneSum.of(acc);
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

    /** Keys per tile of the streaming softmax: the tile's scores stay in L1. */
    static final int TILE = 128;

    /**
     * Reused per call, grown as needed (not for concurrent forwards): the keys transposed to
     * kT [nKvHeads][headSize][S], so a run of scores is plain FMAs with no per-key horizontal
     * sum; and the values copied row-major to vRows [S][nKvHeads * headSize] on the heap, so
     * the weighted sum broadcasts one probability per key over a head's values.
     */
    private float[] keysT = new float[0];
    private float[] valueRows = new float[0];

    /**
     * Flash attention (METHOD.md §8): per (query, head), the keys are visited in tiles of
     * {@link #TILE} with a running max and sum (the streaming softmax of FlashAttention), so no
     * row of scores longer than a tile exists; the plain reference is {@link ReferenceBackend#attention}.
     */
    @Override
    public void attention(Tensor out, Tensor q, Tensor k, Tensor v, int nQueries, int nKeys,
                          int nHeads, int nKvHeads, int headSize) {
        CpuTensor o = f32(out), qt = f32(q);
        checkRows(qt, 0, nQueries);
        checkRows(o, 0, nQueries);
        float[] kT = transposeKeys(f32(k), nKeys, nKvHeads, headSize);
        float[] vRows = copyValues(f32(v), nKeys);
        int group = nHeads / nKvHeads, s = nKeys, kvCols = nKvHeads * headSize, qCols = qt.cols();
        float scale = (float) (1.0 / Math.sqrt(headSize));
        Parallel.forRange(nQueries * nHeads, 4, (from, to) -> {
            float[] p = new float[TILE];
            float[] qh = new float[headSize];
            float[] acc = new float[headSize];
            for (int item = from; item < to; item++) {
                int t = item / nHeads, h = item % nHeads, g = h / group;
                int visible = s - nQueries + t + 1; // causal: keys 0 .. S - T + t
                MemorySegment.copy(qt.data, F32_LE, ((long) t * qCols + (long) h * headSize) * 4, qh, 0, headSize);
                java.util.Arrays.fill(acc, 0f);
                float max = Float.NEGATIVE_INFINITY, sum = 0;
                for (int j0 = 0; j0 < visible; j0 += TILE) {
                    int n = Math.min(TILE, visible - j0);
                    scores(qh, scale, kT, (g * headSize) * s + j0, s, headSize, p, n);
                    float tileMax = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        tileMax = Math.max(tileMax, p[j]);
                    }
                    float newMax = Math.max(max, tileMax);
                    float rescale = (float) Math.exp(max - newMax); // 0 on the first tile
                    float tileSum = expInPlace(p, n, newMax);
                    sum = sum * rescale + tileSum;
                    max = newMax;
                    accumulateValues(acc, rescale, p, n, vRows, j0 * kvCols + g * headSize, kvCols, headSize);
                }
                long oOff = ((long) t * qCols + (long) h * headSize) * 4;
                float inv = 1f / sum;
                for (int i = 0; i < headSize; i++) {
                    o.data.set(F32_LE, oOff + i * 4L, acc[i] * inv);
                }
            }
        });
    }

    @Override
    public void attentionProbabilities(Tensor probs, Tensor q, Tensor k, int nQueries, int nKeys,
                                       int nHeads, int nKvHeads, int headSize) {
        CpuTensor pt = f32(probs), qt = f32(q);
        checkRows(qt, 0, nQueries);
        checkRows(pt, 0, nHeads * nQueries);
        if (pt.cols() < nKeys) {
            throw new IllegalArgumentException(pt.label() + " has " + pt.cols() + " columns, fewer than " + nKeys + " keys");
        }
        float[] kT = transposeKeys(f32(k), nKeys, nKvHeads, headSize);
        int group = nHeads / nKvHeads, s = nKeys, qCols = qt.cols(), pCols = pt.cols();
        float scale = (float) (1.0 / Math.sqrt(headSize));
        Parallel.forRange(nQueries * nHeads, 4, (from, to) -> {
            float[] p = new float[s];
            float[] qh = new float[headSize];
            for (int item = from; item < to; item++) {
                int h = item / nQueries, t = item % nQueries, g = h / group;
                int visible = s - nQueries + t + 1;
                MemorySegment.copy(qt.data, F32_LE, ((long) t * qCols + (long) h * headSize) * 4, qh, 0, headSize);
                scores(qh, scale, kT, (g * headSize) * s, s, headSize, p, visible);
                float inv = exponentiate(p, visible);
                for (int j = 0; j < visible; j++) {
                    p[j] *= inv;
                }
                java.util.Arrays.fill(p, visible, s, 0f);
                MemorySegment.copy(p, 0, pt.data, F32_LE, (long) item * pCols * 4, s);
            }
        });
    }

    @Override
    public void attentionApply(Tensor out, Tensor probs, Tensor v, int nQueries, int nKeys,
                               int nHeads, int nKvHeads, int headSize) {
        CpuTensor o = f32(out), pt = f32(probs);
        checkRows(o, 0, nQueries);
        checkRows(pt, 0, nHeads * nQueries);
        float[] vRows = copyValues(f32(v), nKeys);
        int group = nHeads / nKvHeads, kvCols = nKvHeads * headSize, oCols = o.cols(), pCols = pt.cols();
        Parallel.forRange(nQueries * nHeads, 4, (from, to) -> {
            float[] p = new float[nKeys];
            float[] acc = new float[headSize];
            for (int item = from; item < to; item++) {
                int h = item / nQueries, t = item % nQueries, g = h / group;
                // Every key, masked ones included: the reference multiplies the whole [S, S] map by V.
                MemorySegment.copy(pt.data, F32_LE, (long) item * pCols * 4, p, 0, nKeys);
                java.util.Arrays.fill(acc, 0f);
                accumulateValues(acc, 1f, p, nKeys, vRows, g * headSize, kvCols, headSize);
                MemorySegment.copy(acc, 0, o.data, F32_LE, ((long) t * oCols + (long) h * headSize) * 4, headSize);
            }
        });
    }

    @Override
    public float[][] probabilityWindowSums(Tensor probs, int nQueries, int nKeys, int windowRows, int nHeads) {
        CpuTensor pt = f32(probs);
        checkRows(pt, 0, nHeads * nQueries);
        if (windowRows < 0 || windowRows > nQueries) {
            throw new IllegalArgumentException("window of " + windowRows + " rows outside the " + nQueries + " queries");
        }
        long rowBytes = (long) pt.cols() * 4;
        int bound = F.loopBound(nKeys);
        float[][] sums = new float[nHeads][nKeys];
        Parallel.forEach(nHeads, h -> {
            float[] acc = sums[h];
            for (int t = nQueries - windowRows; t < nQueries; t++) {
                long row = (h * (long) nQueries + t) * rowBytes;
                int j = 0;
                for (; j < bound; j += F.length()) {
                    FloatVector.fromArray(F, acc, j)
                            .add(FloatVector.fromMemorySegment(F, pt.data, row + j * 4L, LE))
                            .intoArray(acc, j);
                }
                for (; j < nKeys; j++) {
                    acc[j] += pt.data.get(F32_LE, row + j * 4L);
                }
            }
        });
        return sums;
    }

    /** kT[g][i][j] = k[j, g * hs + i] for the first nKeys rows: one pass over the keys, parallel over key rows. */
    private float[] transposeKeys(CpuTensor kt, int nKeys, int nKvHeads, int headSize) {
        checkRows(kt, 0, nKeys);
        long need = (long) nKvHeads * headSize * nKeys;
        if (need > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("attention over " + nKeys + " keys is too large for one call");
        }
        if (keysT.length < need) {
            keysT = new float[(int) need];
        }
        float[] kT = keysT;
        int kvCols = kt.cols(), width = nKvHeads * headSize;
        Parallel.forRange(nKeys, 64, (from, to) -> {
            for (int j = from; j < to; j++) {
                long row = (long) j * kvCols * 4;
                for (int c = 0; c < width; c++) { // c = g * headSize + i
                    kT[c * nKeys + j] = kt.data.get(F32_LE, row + c * 4L);
                }
            }
        });
        return kT;
    }

    /** The first nKeys rows of v, row-major on the heap (one bulk copy). */
    private float[] copyValues(CpuTensor vt, int nKeys) {
        checkRows(vt, 0, nKeys);
        long need = (long) nKeys * vt.cols();
        if (need > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("attention over " + nKeys + " keys is too large for one call");
        }
        if (valueRows.length < need) {
            valueRows = new float[(int) need];
        }
        MemorySegment.copy(vt.data, F32_LE, 0, valueRows, 0, (int) need);
        return valueRows;
    }

    /**
     * p[0..n) = scale * q · k_j for keys j = 0..n-1 of a run starting at kT[base] (row stride s
     * per head dimension): four head dimensions per pass over p.
     */
    private static void scores(float[] qh, float scale, float[] kT, int base, int s, int headSize, float[] p, int n) {
        int bound = F.loopBound(n);
        java.util.Arrays.fill(p, 0, n, 0f);
        int i = 0;
        for (; i + 4 <= headSize; i += 4) {
            float q0 = qh[i] * scale, q1 = qh[i + 1] * scale, q2 = qh[i + 2] * scale, q3 = qh[i + 3] * scale;
            FloatVector v0 = FloatVector.broadcast(F, q0), v1 = FloatVector.broadcast(F, q1);
            FloatVector v2 = FloatVector.broadcast(F, q2), v3 = FloatVector.broadcast(F, q3);
            int b0 = base + i * s, b1 = b0 + s, b2 = b1 + s, b3 = b2 + s;
            int j = 0;
            for (; j < bound; j += F.length()) {
                FloatVector acc = FloatVector.fromArray(F, p, j);
                acc = v0.fma(FloatVector.fromArray(F, kT, b0 + j), acc);
                acc = v1.fma(FloatVector.fromArray(F, kT, b1 + j), acc);
                acc = v2.fma(FloatVector.fromArray(F, kT, b2 + j), acc);
                acc = v3.fma(FloatVector.fromArray(F, kT, b3 + j), acc);
                acc.intoArray(p, j);
            }
            for (; j < n; j++) {
                p[j] += q0 * kT[b0 + j] + q1 * kT[b1 + j] + q2 * kT[b2 + j] + q3 * kT[b3 + j];
            }
        }
        for (; i < headSize; i++) {
            float qs = qh[i] * scale;
            int b = base + i * s;
            for (int j = 0; j < n; j++) {
                p[j] += qs * kT[b + j];
            }
        }
    }

    /** Softmax's first half over p[0..n): p[j] = exp(p[j] - max); returns 1 / sum, the normalizer. */
    private static float exponentiate(float[] p, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, p[j]);
        }
        return 1f / expInPlace(p, n, max);
    }

    /** p[j] = exp(p[j] - max) for j < n; returns their sum. */
    private static float expInPlace(float[] p, int n, float max) {
        int bound = F.loopBound(n);
        FloatVector sumV = FloatVector.zero(F);
        int j = 0;
        for (; j < bound; j += F.length()) {
            FloatVector e = VectorExp.exp(FloatVector.fromArray(F, p, j).sub(max));
            e.intoArray(p, j);
            sumV = sumV.add(e);
        }
        float sum = LaneSum.of(sumV);
        for (; j < n; j++) {
            p[j] = (float) Math.exp(p[j] - max);
            sum += p[j];
        }
        return sum;
    }

    /**
     * acc[i] = acc[i] * rescale + sum_{j < n} p[j] * vRows[base + j * stride + i] for i < headSize:
     * one vector of head dimensions at a time, its accumulator kept in a register over the keys.
     */
    private static void accumulateValues(float[] acc, float rescale, float[] p, int n, float[] vRows, int base,
                                         int stride, int headSize) {
        int bound = F.loopBound(headSize);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector a = FloatVector.fromArray(F, acc, i).mul(rescale);
            int off = base + i;
            for (int j = 0; j < n; j++, off += stride) {
                a = FloatVector.broadcast(F, p[j]).fma(FloatVector.fromArray(F, vRows, off), a);
            }
            a.intoArray(acc, i);
        }
        for (; i < headSize; i++) {
            float a = acc[i] * rescale;
            int off = base + i;
            for (int j = 0; j < n; j++, off += stride) {
                a += p[j] * vRows[off];
            }
            acc[i] = a;
        }
    }

    /**
     * FLASH's SnapKV observation: only the window's rows are scored (from the transposed keys, as
     * in {@link #attention}), each head's probabilities summed in its own array.
     */
    @Override
    public float[][] attentionWindowScores(Tensor q, Tensor k, int nQueries, int nKeys, int windowRows,
                                           int nHeads, int nKvHeads, int headSize) {
        CpuTensor qt = f32(q);
        checkRows(qt, 0, nQueries);
        if (windowRows < 0 || windowRows > nQueries) {
            throw new IllegalArgumentException("window of " + windowRows + " rows outside the " + nQueries + " queries");
        }
        float[] kT = transposeKeys(f32(k), nKeys, nKvHeads, headSize);
        int group = nHeads / nKvHeads, s = nKeys, qCols = qt.cols();
        float scale = (float) (1.0 / Math.sqrt(headSize));
        float[][] sums = new float[nHeads][nKeys];
        // One work item = one head: its window rows accumulate into sums[h] (no sharing between threads).
        Parallel.forEach(nHeads, h -> {
            float[] p = new float[s];
            float[] qh = new float[headSize];
            float[] acc = sums[h];
            int g = h / group;
            for (int t = nQueries - windowRows; t < nQueries; t++) {
                int visible = s - nQueries + t + 1;
                MemorySegment.copy(qt.data, F32_LE, ((long) t * qCols + (long) h * headSize) * 4, qh, 0, headSize);
                scores(qh, scale, kT, (g * headSize) * s, s, headSize, p, visible);
                float inv = exponentiate(p, visible);
                int bound = F.loopBound(visible), j = 0;
                for (; j < bound; j += F.length()) {
                    FloatVector.fromArray(F, p, j).fma(FloatVector.broadcast(F, inv), FloatVector.fromArray(F, acc, j)).intoArray(acc, j);
                }
                for (; j < visible; j++) {
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
                FloatVector silu = x.div(VectorExp.exp(x.neg()).add(1f));
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
