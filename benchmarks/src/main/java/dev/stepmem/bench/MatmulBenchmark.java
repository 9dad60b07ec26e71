package dev.stepmem.bench;

import static dev.stepmem.tensor.HostTensor.F32_LE;
import static dev.stepmem.tensor.HostTensor.I16_LE;

import dev.stepmem.backend.cpu.CpuMatmul;
import dev.stepmem.tensor.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU matmul at prefill shapes: out[rows, n] = x[rows, k] · w[n, k]^T, multi-threaded over
 * -Dstepmem.threads (default all cores). One op is one whole matmul (2·rows·k·n FLOPs); the
 * secondary metric {@code gflop} is GFLOP/s directly (an ops-per-second aux counter that counts
 * GFLOPs). {@link MatmulReport} turns a run of this and {@link FmaPeakBenchmark} into a table.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 6, time = 4)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatmulBenchmark {
    /** rows x k x n: a 1024-token chunk through a 7B-class q/k/v/o projection, and the FFN up. */
    @Param({"1024x4096x4096", "1024x4096x11008"})
    public String shape;

    /** Weight type (x and out are always fp32). */
    @Param({"F32", "BF16"})
    public String dtype;

    int rows, k, n;
    DType wType;
    Arena arena;
    MemorySegment x, w, out;

    /** GFLOPs done, as an OPERATIONS counter: JMH reports it per second, i.e. GFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;
        }
    }

    /** Parses "rows x k x n". */
    static int[] parseShape(String shape) {
        String[] p = shape.toLowerCase(java.util.Locale.ROOT).split("x");
        if (p.length != 3) {
            throw new IllegalArgumentException("shape must be rows x k x n, e.g. 1024x4096x4096: " + shape);
        }
        return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim())};
    }

    static double flops(String shape) {
        int[] s = parseShape(shape);
        return 2.0 * s[0] * s[1] * s[2];
    }

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = parseShape(shape);
        rows = s[0];
        k = s[1];
        n = s[2];
        wType = DType.parse(dtype);
        arena = Arena.ofShared();
        x = arena.allocate((long) rows * k * 4, 64);
        w = arena.allocate((long) n * k * wType.bytes(), 64);
        out = arena.allocate((long) rows * n * 4, 64);
        SplittableRandom rnd = new SplittableRandom(42);
        for (long i = 0; i < (long) rows * k; i++) {
            x.set(F32_LE, i * 4, (float) (rnd.nextDouble() * 2 - 1));
        }
        float scale = (float) (1 / Math.sqrt(k)); // keeps out ~ N(0, 1/3): no overflow, no denormals
        for (long i = 0; i < (long) n * k; i++) {
            float v = (float) (rnd.nextDouble() * 2 - 1) * scale;
            switch (wType) {
                case F32 -> w.set(F32_LE, i * 4, v);
                case BF16 -> w.set(I16_LE, i * 2, DType.floatToBf16(v));
                case F16 -> w.set(I16_LE, i * 2, DType.floatToF16(v));
            }
        }
    }

    @Benchmark
    public void matmul(Flops flops) {
        CpuMatmul.matmul(out, x, w, wType, rows, n, k);
        flops.gflop += 2.0 * rows * k * n / 1e9;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }
}
