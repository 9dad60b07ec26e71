package dev.stepmem.bench.gate;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU calibration: one chunk of a stories15M-shaped forward, written out on its own. A chunk
 * of 128 rows of 288 goes through 3 layers of seeded weights (12 MB: far beyond L2, so it
 * streams through the caches as the prefill's 24 MB of layers do): rmsnorm, the q/k/v/o
 * projections, causal-free attention of 6 heads of 48 over 256 fixed keys (scores by broadcasting
 * the query over transposed keys, an exp, a weighted sum of values), and the SwiGLU MLP (768
 * wide). Every call does the same work from the same input.
 *
 * <p>It is what a prefill step does, so what slows one (a slower or narrower core, a neighbour
 * sharing the core or the caches, a busy memory bus) slows the other about as much. A first
 * version, a lone [128, 288] x [768, 288] product on 5 MB, tracked the prefill poorly: it ran
 * from L2 and, on two threads, doubled its time when a neighbour took a core while the prefill
 * slowed by 10% (docs/ttft-gate.md).
 *
 * <p>Frozen on purpose: its own loops, its own pool ({@code -Dstepmem.threads} threads, else all
 * cores, as the CPU backend), its own memory (off-heap, 64-byte aligned, so every JVM sees the
 * same alignment); never the engine's CpuMatmul, CpuBackend or Parallel, or a regression there
 * would slow the calibration too and cancel out of the ratio. Changing anything here changes
 * every normalized figure: bump {@link #ID} and refresh the baselines.
 */
final class CpuCalibration implements Calibration {
    static final String ID = "cpu-forward-v2";

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    private static final int T = 64, D = 288, HEADS = 6, HS = 48, S = 256, HIDDEN = 768, LAYERS = 6, VOCAB = 32000,
            BLOCK = 16;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment[][] weights = new MemorySegment[LAYERS][]; // wq, wk, wv, wo, w1, w3, w2
    private final MemorySegment input, x, xn, q, k, v, att, h1, h3;
    private final MemorySegment keysT, values; // [D][S] transposed keys and [S][D] values, shared by the layers
    private final MemorySegment classifier, logits; // [VOCAB, D] and [4, VOCAB]: the last rows' logits
    private final ForkJoinPool pool;
    private volatile float sink; // keeps the result alive, so the JIT cannot drop the work

    CpuCalibration() {
        int threads = Integer.getInteger("stepmem.threads", Runtime.getRuntime().availableProcessors());
        pool = threads > 1 ? new ForkJoinPool(threads) : null;
        SplittableRandom r = new SplittableRandom(7);
        for (int l = 0; l < LAYERS; l++) {
            weights[l] = new MemorySegment[] {seeded(D * D, r, 0.06f), seeded(D * D, r, 0.06f), seeded(D * D, r, 0.06f),
                    seeded(D * D, r, 0.06f), seeded(HIDDEN * D, r, 0.06f), seeded(HIDDEN * D, r, 0.06f),
                    seeded(D * HIDDEN, r, 0.04f)};
        }
        classifier = seeded(VOCAB * D, r, 0.06f);
        logits = block(4 * VOCAB);
        input = seeded(T * D, r, 1f);
        keysT = seeded(D * S, r, 1f);
        values = seeded(S * D, r, 1f);
        x = block(T * D);
        xn = block(T * D);
        q = block(T * D);
        k = block(T * D);
        v = block(T * D);
        att = block(T * D);
        h1 = block(T * HIDDEN);
        h3 = block(T * HIDDEN);
    }

    private MemorySegment block(int floats) {
        return arena.allocate(4L * floats, 64);
    }

    private MemorySegment seeded(int floats, SplittableRandom r, float scale) {
        MemorySegment s = block(floats);
        for (int i = 0; i < floats; i++) {
            s.setAtIndex(FLOAT, i, (float) ((r.nextDouble() - 0.5) * scale));
        }
        return s;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public long timeNanos() {
        long start = System.nanoTime();
        MemorySegment.copy(input, 0, x, 0, input.byteSize());
        for (MemorySegment[] w : weights) {
            rows(T, (from, to) -> rmsnorm(x, xn, D, from, to));
            rows(T, (from, to) -> {
                matmul(q, xn, w[0], D, D, from, to);
                matmul(k, xn, w[1], D, D, from, to);
                matmul(v, xn, w[2], D, D, from, to);
            });
            parallel(HEADS, this::attention);
            rows(T, (from, to) -> {
                matmul(xn, att, w[3], D, D, from, to);
                add(x, xn, D, from, to);
                rmsnorm(x, xn, D, from, to);
                matmul(h1, xn, w[4], HIDDEN, D, from, to);
                matmul(h3, xn, w[5], HIDDEN, D, from, to);
                swiglu(h1, h3, HIDDEN, from, to);
                matmul(xn, h1, w[6], D, HIDDEN, from, to);
                add(x, xn, D, from, to);
            });
        }
        MemorySegment last = x.asSlice(4L * (T - 4) * D);
        parallel(VOCAB / 1000, b -> matmulRows(logits, last, classifier, b * 1000, (b + 1) * 1000));
        long elapsed = System.nanoTime() - start;
        sink = x.getAtIndex(FLOAT, 0) + k.getAtIndex(FLOAT, 1) + v.getAtIndex(FLOAT, 2) + logits.getAtIndex(FLOAT, 3);
        return elapsed;
    }

    /** A range of rows of a [rows, cols] product or elementwise op. */
    @FunctionalInterface
    private interface Rows {
        void run(int from, int to);
    }

    /** rows [0, n) in blocks of {@link #BLOCK}, over the pool's threads. */
    private void rows(int n, Rows body) {
        parallel(n / BLOCK, b -> body.run(b * BLOCK, (b + 1) * BLOCK));
    }

    private void parallel(int n, IntConsumer body) {
        if (pool == null) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int item = i;
            tasks.add(ForkJoinTask.adapt(() -> body.accept(item)));
        }
        pool.invoke(ForkJoinTask.adapt(() -> ForkJoinTask.invokeAll(tasks)));
    }

    /** out[r, :n] = in[r, :kk] W^T for rows [from, to), W [n, kk]: four rows share each weight vector. */
    private static void matmul(MemorySegment out, MemorySegment in, MemorySegment w, int n, int kk, int from, int to) {
        int bound = F.loopBound(kk);
        for (int r = from; r < to; r += 4) {
            long x0 = 4L * r * kk, x1 = x0 + 4L * kk, x2 = x1 + 4L * kk, x3 = x2 + 4L * kk;
            for (int j = 0; j < n; j++) {
                long wo = 4L * j * kk;
                FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F),
                        a3 = FloatVector.zero(F);
                int i = 0;
                for (; i < bound; i += F.length()) {
                    FloatVector wv = FloatVector.fromMemorySegment(F, w, wo + 4L * i, ORDER);
                    a0 = FloatVector.fromMemorySegment(F, in, x0 + 4L * i, ORDER).fma(wv, a0);
                    a1 = FloatVector.fromMemorySegment(F, in, x1 + 4L * i, ORDER).fma(wv, a1);
                    a2 = FloatVector.fromMemorySegment(F, in, x2 + 4L * i, ORDER).fma(wv, a2);
                    a3 = FloatVector.fromMemorySegment(F, in, x3 + 4L * i, ORDER).fma(wv, a3);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD),
                        s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
                for (; i < kk; i++) {
                    float wi = w.get(FLOAT, wo + 4L * i);
                    s0 += in.get(FLOAT, x0 + 4L * i) * wi;
                    s1 += in.get(FLOAT, x1 + 4L * i) * wi;
                    s2 += in.get(FLOAT, x2 + 4L * i) * wi;
                    s3 += in.get(FLOAT, x3 + 4L * i) * wi;
                }
                out.setAtIndex(FLOAT, (long) r * n + j, s0);
                out.setAtIndex(FLOAT, (long) (r + 1) * n + j, s1);
                out.setAtIndex(FLOAT, (long) (r + 2) * n + j, s2);
                out.setAtIndex(FLOAT, (long) (r + 3) * n + j, s3);
            }
        }
    }

    /** out[0..4, j] = in[0..4, :] W[j, :] for weight rows j in [from, to): the classifier over the last 4 rows. */
    private static void matmulRows(MemorySegment out, MemorySegment in, MemorySegment w, int from, int to) {
        int bound = F.loopBound(D);
        for (int j = from; j < to; j++) {
            long wo = 4L * j * D;
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F),
                    a3 = FloatVector.zero(F);
            int i = 0;
            for (; i < bound; i += F.length()) {
                FloatVector wv = FloatVector.fromMemorySegment(F, w, wo + 4L * i, ORDER);
                a0 = FloatVector.fromMemorySegment(F, in, 4L * i, ORDER).fma(wv, a0);
                a1 = FloatVector.fromMemorySegment(F, in, 4L * (D + i), ORDER).fma(wv, a1);
                a2 = FloatVector.fromMemorySegment(F, in, 4L * (2 * D + i), ORDER).fma(wv, a2);
                a3 = FloatVector.fromMemorySegment(F, in, 4L * (3 * D + i), ORDER).fma(wv, a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD),
                    s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
            for (; i < D; i++) {
                float wi = w.get(FLOAT, wo + 4L * i);
                s0 += in.get(FLOAT, 4L * i) * wi;
                s1 += in.get(FLOAT, 4L * (D + i)) * wi;
                s2 += in.get(FLOAT, 4L * (2 * D + i)) * wi;
                s3 += in.get(FLOAT, 4L * (3 * D + i)) * wi;
            }
            out.setAtIndex(FLOAT, j, s0);
            out.setAtIndex(FLOAT, VOCAB + j, s1);
            out.setAtIndex(FLOAT, 2L * VOCAB + j, s2);
            out.setAtIndex(FLOAT, 3L * VOCAB + j, s3);
        }
    }

    /** One head for every query row: p = scale * q K^T over S keys, p = exp(p - max), out = p V / sum(p). */
    private void attention(int h) {
        float[] p = new float[S];
        float[] acc = new float[HS];
        float scale = (float) (1 / Math.sqrt(HS));
        int bound = F.loopBound(S), hb = F.loopBound(HS);
        for (int t = 0; t < T; t++) {
            java.util.Arrays.fill(p, 0f);
            long qRow = 4L * (t * D + h * HS);
            for (int i = 0; i < HS; i++) {
                float qi = q.get(FLOAT, qRow + 4L * i) * scale;
                long kRow = 4L * (h * HS + i) * S;
                int j = 0;
                for (; j < bound; j += F.length()) {
                    FloatVector.fromArray(F, p, j).add(FloatVector.fromMemorySegment(F, keysT, kRow + 4L * j, ORDER)
                            .mul(qi)).intoArray(p, j);
                }
                for (; j < S; j++) {
                    p[j] += qi * keysT.get(FLOAT, kRow + 4L * j);
                }
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < S; j++) {
                max = Math.max(max, p[j]);
            }
            FloatVector sumV = FloatVector.zero(F);
            int j = 0;
            for (; j < bound; j += F.length()) {
                FloatVector e = FloatVector.fromArray(F, p, j).sub(max).lanewise(VectorOperators.EXP);
                e.intoArray(p, j);
                sumV = sumV.add(e);
            }
            float sum = sumV.reduceLanes(VectorOperators.ADD);
            for (; j < S; j++) {
                p[j] = (float) Math.exp(p[j] - max);
                sum += p[j];
            }
            java.util.Arrays.fill(acc, 0f);
            int i = 0;
            for (; i < hb; i += F.length()) {
                FloatVector a = FloatVector.zero(F);
                for (int key = 0; key < S; key++) {
                    a = FloatVector.broadcast(F, p[key]).fma(FloatVector.fromMemorySegment(F, values,
                            4L * (key * D + h * HS + i), ORDER), a);
                }
                a.intoArray(acc, i);
            }
            for (; i < HS; i++) {
                float a = 0;
                for (int key = 0; key < S; key++) {
                    a += p[key] * values.get(FLOAT, 4L * (key * D + h * HS + i));
                }
                acc[i] = a;
            }
            for (i = 0; i < HS; i++) {
                att.set(FLOAT, qRow + 4L * i, acc[i] / sum);
            }
        }
    }

    private static void rmsnorm(MemorySegment in, MemorySegment out, int cols, int from, int to) {
        for (int r = from; r < to; r++) {
            long row = 4L * r * cols;
            float ss = 0;
            for (int i = 0; i < cols; i++) {
                float a = in.get(FLOAT, row + 4L * i);
                ss += a * a;
            }
            float s = (float) (1 / Math.sqrt(ss / cols + 1e-5));
            for (int i = 0; i < cols; i++) {
                out.set(FLOAT, row + 4L * i, in.get(FLOAT, row + 4L * i) * s);
            }
        }
    }

    private static void add(MemorySegment x, MemorySegment y, int cols, int from, int to) {
        for (long i = (long) from * cols; i < (long) to * cols; i++) {
            x.setAtIndex(FLOAT, i, x.getAtIndex(FLOAT, i) + y.getAtIndex(FLOAT, i));
        }
    }

    /** gate = silu(gate) * up. */
    private static void swiglu(MemorySegment gate, MemorySegment up, int cols, int from, int to) {
        for (long i = (long) from * cols; i < (long) to * cols; i++) {
            float g = gate.getAtIndex(FLOAT, i);
            gate.setAtIndex(FLOAT, i, g / (1 + (float) Math.exp(-g)) * up.getAtIndex(FLOAT, i));
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        arena.close();
    }
}
