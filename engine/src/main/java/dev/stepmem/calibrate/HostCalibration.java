package dev.stepmem.calibrate;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Tensor;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.sim.OpCost;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.util.function.Consumer;

/**
 * Measures the CPU backend's achieved rates with the ops the prefill loop runs, counted with the
 * same {@link OpCost} formulas the simulated device charges, so a cpu-host profile built from
 * them predicts the CPU backend's own runs:
 * <ul>
 *   <li>GEMM rates per weight dtype: {@code CpuBackend.matmul} on LLaMA-7B-like shapes
 *       ([T, 4096] x [4096, 4096] and [T, 4096] x [11008, 4096]);
 *   <li>flash and eager attention rates: {@code attention}, {@code attentionProbabilities} +
 *       {@code attentionApply} with stories15M's heads (6 of 48) and LLaMA-7B's (32 of 128) at one
 *       chunk's shape; their geometric mean, as a fraction of the fp32 GEMM rate (the CPU
 *       kernels' efficiency depends on the shape, which one fraction per op class cannot follow);
 *   <li>bandwidth: {@code add} over two 64 MiB buffers (3 passes: read x, read y, write x);
 *   <li>launch overhead: a tiny {@code rmsnorm} that still goes through the worker pool, the
 *       per-op fixed cost (fork/join hand-off) every op pays.
 * </ul>
 * Each figure is the median of several timed repetitions after a warm-up.
 */
public final class HostCalibration {
    /** What was measured; rates in FLOP/s and bytes/s, overhead in seconds. */
    public record Measured(double fp32Gemm, double bf16Gemm, double f16Gemm, double flashAttention,
                           double eagerAttention, double bandwidth, double launchOverhead, double matmulOverhead,
                           int threads) {
    }

    private final int reps;
    private final Consumer<String> log;

    /** @param reps timed repetitions per measurement (median); 5 is plenty, 3 for a quick look */
    public HostCalibration(int reps, Consumer<String> log) {
        this.reps = reps;
        this.log = log;
    }

    public Measured run() {
        try (Backend cpu = new CpuBackend()) {
            double f32 = gemm(cpu, DType.F32), bf16 = gemm(cpu, DType.BF16), f16 = gemm(cpu, DType.F16);
            double flash = flashAttention(cpu), eager = eagerAttention(cpu);
            double bw = bandwidth(cpu), launch = launchOverhead(cpu);
            double matmulOverhead = matmulOverhead(cpu, f32, launch);
            return new Measured(f32, bf16, f16, flash, eager, bw, launch, matmulOverhead,
                    dev.stepmem.backend.cpu.Parallel.threads());
        }
    }

    private double gemm(Backend cpu, DType type) {
        int rows = 256, k = 4096;
        int[] outs = {4096, 11008};
        double[] rates = new double[outs.length];
        for (int i = 0; i < outs.length; i++) {
            int n = outs[i];
            try (var w = SyntheticWeights.create(new dev.stepmem.model.ModelConfig("llama", k, n, 1, 32, 32, 8, 64,
                    1e-5f, 10000, dev.stepmem.backend.RopeStyle.ROTATE_HALF, 0, false), type, 1)) {
                HostTensor weight = w.layers().getFirst().w1(); // [n, k]
                Tensor wt = cpu.upload(weight), x = cpu.allocate("act.x", rows, k), out = cpu.allocate("act.o", rows, n);
                double flops = OpCost.matmul(rows, n, k, type.bytes(), 4).flops();
                rates[i] = flops / seconds(() -> cpu.matmul(out, x, wt, rows));
                cpu.free(out);
                cpu.free(x);
                cpu.free(wt);
            }
            log.accept(String.format(java.util.Locale.ROOT, "GEMM %s [%d, %d] x [%d, %d]^T: %.1f GFLOP/s",
                    type, rows, k, n, k, rates[i] / 1e9));
        }
        return dev.stepmem.results.Stats.median(rates);
    }

    /** Small GEMMs: one stories15M chunk (128 rows) through its projections, [288, 288] and [768, 288]. */
    private static final int[][] SMALL_GEMMS = {{128, 288, 288}, {128, 768, 288}, {128, 288, 768}};

    /**
     * The time small GEMMs take beyond their FLOPs at the large-GEMM rate and the launch overhead
     * (the median over {@link #SMALL_GEMMS}, at least 0): packing and hand-off that large GEMMs
     * amortize. The cost model charges it once per matmul.
     */
    private double matmulOverhead(Backend cpu, double largeRate, double launch) {
        double[] extra = new double[SMALL_GEMMS.length];
        for (int i = 0; i < SMALL_GEMMS.length; i++) {
            int rows = SMALL_GEMMS[i][0], n = SMALL_GEMMS[i][1], k = SMALL_GEMMS[i][2];
            try (var w = SyntheticWeights.create(new dev.stepmem.model.ModelConfig("llama", k, n, 1, 1, 1, 8, 64,
                    1e-5f, 10000, dev.stepmem.backend.RopeStyle.ROTATE_HALF, 0, false), DType.F32, 1)) {
                HostTensor weight = w.layers().getFirst().w1(); // [n, k]
                Tensor wt = cpu.upload(weight), x = cpu.allocate("act.x", rows, k), out = cpu.allocate("act.o", rows, n);
                double flops = OpCost.matmul(rows, n, k, 4, 4).flops();
                double t = seconds(() -> cpu.matmul(out, x, wt, rows));
                extra[i] = t - flops / largeRate - launch;
                log.accept(String.format(java.util.Locale.ROOT, "GEMM F32 [%d, %d] x [%d, %d]^T: %.1f GFLOP/s, "
                        + "%.0f us beyond the large-GEMM rate", rows, k, n, k, flops / t / 1e9, extra[i] * 1e6));
                cpu.free(out);
                cpu.free(x);
                cpu.free(wt);
            }
        }
        return Math.max(0, dev.stepmem.results.Stats.median(extra));
    }

    /** Attention shapes: stories15M's heads (6 of 48) and LLaMA-7B's (32 of 128), at one chunk's T and S. */
    private record AttentionShape(int heads, int headSize, int queries, int keys) {
    }

    private static final AttentionShape[] FLASH_SHAPES = {new AttentionShape(6, 48, 128, 260),
            new AttentionShape(32, 128, 256, 516)};
    private static final AttentionShape[] EAGER_SHAPES = {new AttentionShape(6, 48, 260, 260),
            new AttentionShape(32, 128, 516, 516)};

    /** The geometric mean of the flash attention rate over {@link #FLASH_SHAPES}. */
    private double flashAttention(Backend cpu) {
        double logSum = 0;
        for (AttentionShape a : FLASH_SHAPES) {
            int d = a.heads() * a.headSize();
            Tensor q = cpu.allocate("act.q", a.queries(), d), out = cpu.allocate("act.o", a.queries(), d);
            Tensor k = cpu.allocate("kv.k", a.keys(), d), v = cpu.allocate("kv.v", a.keys(), d);
            double flops = OpCost.flashAttention(a.queries(), a.keys(), a.heads(), a.heads(), a.headSize(), 4).flops();
            double rate = flops / seconds(() -> cpu.attention(out, q, k, v, a.queries(), a.keys(), a.heads(), a.heads(),
                    a.headSize()));
            log.accept(String.format(java.util.Locale.ROOT, "flash attention T=%d S=%d, %d heads of %d: %.2f GFLOP/s",
                    a.queries(), a.keys(), a.heads(), a.headSize(), rate / 1e9));
            logSum += Math.log(rate);
            for (Tensor x : new Tensor[] {q, out, k, v}) {
                cpu.free(x);
            }
        }
        return Math.exp(logSum / FLASH_SHAPES.length);
    }

    /** The geometric mean of the eager rate (probabilities + apply, counted as full S x S) over {@link #EAGER_SHAPES}. */
    private double eagerAttention(Backend cpu) {
        double logSum = 0;
        for (AttentionShape a : EAGER_SHAPES) {
            int d = a.heads() * a.headSize(), s = a.keys(), heads = a.heads(), hs = a.headSize();
            Tensor q = cpu.allocate("act.q", s, d), out = cpu.allocate("act.o", s, d);
            Tensor k = cpu.allocate("kv.k", s, d), v = cpu.allocate("kv.v", s, d);
            Tensor map = cpu.allocate("scores", heads * s, s);
            // FLOPs only: the map passes (last argument) change bytes, not FLOPs
            double flops = OpCost.eagerProbabilities(s, s, heads, heads, hs, 4, 1).flops()
                    + OpCost.eagerApply(s, s, heads, heads, hs, 4, 1).flops();
            double rate = flops / seconds(() -> {
                cpu.attentionProbabilities(map, q, k, s, s, heads, heads, hs);
                cpu.attentionApply(out, map, v, s, s, heads, heads, hs);
            });
            log.accept(String.format(java.util.Locale.ROOT, "eager attention S=%d, %d heads of %d: %.2f GFLOP/s "
                    + "(counted as full S x S)", s, heads, hs, rate / 1e9));
            logSum += Math.log(rate);
            for (Tensor x : new Tensor[] {q, out, k, v, map}) {
                cpu.free(x);
            }
        }
        return Math.exp(logSum / EAGER_SHAPES.length);
    }

    private double bandwidth(Backend cpu) {
        int rows = 4096, cols = 4096;
        Tensor x = cpu.allocate("act.x", rows, cols), y = cpu.allocate("act.y", rows, cols);
        double rate = 3.0 * rows * cols * 4 / seconds(() -> cpu.add(x, y, rows));
        log.accept(String.format(java.util.Locale.ROOT, "bandwidth (add over 2 x 64 MiB): %.1f GB/s", rate / 1e9));
        cpu.free(x);
        cpu.free(y);
        return rate;
    }

    private double launchOverhead(Backend cpu) {
        int rows = 64, cols = 8; // 4 blocks of 16 rows: handed to the pool, almost no work
        Tensor x = cpu.allocate("act.x", rows, cols), w = cpu.allocate("act.w", 1, cols);
        int calls = 2000;
        double perCall = seconds(() -> {
            for (int i = 0; i < calls; i++) {
                cpu.rmsnorm(x, x, w, rows, 1e-5f);
            }
        }) / calls;
        log.accept(String.format(java.util.Locale.ROOT, "launch overhead (tiny pooled rmsnorm): %.1f us", perCall * 1e6));
        cpu.free(x);
        cpu.free(w);
        return perCall;
    }

    /**
     * Median seconds of reps timed runs, after warm-up runs for at least a second (and three runs):
     * the JIT must have compiled the op's loops, or the first shapes measure the interpreter.
     */
    private double seconds(Runnable op) {
        long warmUntil = System.nanoTime() + 1_000_000_000L;
        for (int i = 0; i < 3 || System.nanoTime() < warmUntil; i++) {
            op.run();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            op.run();
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        return dev.stepmem.results.Stats.median(t);
    }
}
