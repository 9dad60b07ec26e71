package dev.stepmem.calibrate;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Tensor;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.sim.OpCost;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Measures the CPU backend's achieved rates with the ops the prefill loop runs, counted with the
 * same {@link OpCost} formulas the simulated device charges, so a cpu-host profile built from
 * them predicts the CPU backend's own runs:
 * <ul>
 *   <li>GEMM rates per weight dtype: {@code CpuBackend.matmul} on LLaMA-7B-like shapes
 *       ([T, 4096] x [4096, 4096] and [T, 4096] x [11008, 4096]);
 *   <li>flash and eager attention rates: {@code attention}, {@code attentionProbabilities} +
 *       {@code attentionApply} at 32 heads of 128, as fractions of the fp32 GEMM rate;
 *   <li>bandwidth: {@code add} over two 64 MiB buffers (3 passes: read x, read y, write x);
 *   <li>launch overhead: a tiny {@code rmsnorm} that still goes through the worker pool, the
 *       per-op fixed cost (fork/join hand-off) every op pays.
 * </ul>
 * Each figure is the median of several timed repetitions after a warm-up.
 */
public final class HostCalibration {
    /** What was measured; rates in FLOP/s and bytes/s, overhead in seconds. */
    public record Measured(double fp32Gemm, double bf16Gemm, double f16Gemm, double flashAttention,
                           double eagerAttention, double bandwidth, double launchOverhead, int threads) {
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
            return new Measured(f32, bf16, f16, flash, eager, bw, launch, dev.stepmem.backend.cpu.Parallel.threads());
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
        return median(rates);
    }

    private double flashAttention(Backend cpu) {
        int heads = 32, hs = 128, t = 256, s = 1024;
        Tensor q = cpu.allocate("act.q", t, heads * hs), out = cpu.allocate("act.o", t, heads * hs);
        Tensor k = cpu.allocate("kv.k", s, heads * hs), v = cpu.allocate("kv.v", s, heads * hs);
        double flops = OpCost.flashAttention(t, s, heads, heads, hs, 4).flops();
        double rate = flops / seconds(() -> cpu.attention(out, q, k, v, t, s, heads, heads, hs));
        log.accept(String.format(java.util.Locale.ROOT, "flash attention T=%d S=%d, %d heads of %d: %.1f GFLOP/s",
                t, s, heads, hs, rate / 1e9));
        for (Tensor x : new Tensor[] {q, out, k, v}) {
            cpu.free(x);
        }
        return rate;
    }

    private double eagerAttention(Backend cpu) {
        int heads = 32, hs = 128, s = 512;
        Tensor q = cpu.allocate("act.q", s, heads * hs), out = cpu.allocate("act.o", s, heads * hs);
        Tensor k = cpu.allocate("kv.k", s, heads * hs), v = cpu.allocate("kv.v", s, heads * hs);
        Tensor map = cpu.allocate("scores", heads * s, s);
        double flops = OpCost.eagerProbabilities(s, s, heads, heads, hs, 4).flops()
                + OpCost.eagerApply(s, s, heads, heads, hs, 4).flops();
        double rate = flops / seconds(() -> {
            cpu.attentionProbabilities(map, q, k, s, s, heads, heads, hs);
            cpu.attentionApply(out, map, v, s, s, heads, heads, hs);
        });
        log.accept(String.format(java.util.Locale.ROOT, "eager attention S=%d, %d heads of %d: %.1f GFLOP/s (counted as full S x S)",
                s, heads, hs, rate / 1e9));
        for (Tensor x : new Tensor[] {q, out, k, v, map}) {
            cpu.free(x);
        }
        return rate;
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

    /** Median seconds of reps timed runs after two warm-up runs. */
    private double seconds(Runnable op) {
        op.run();
        op.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            op.run();
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        return median(t);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
