package dev.stepmem.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's FP32 FMA peak as the Vector API reaches it: a register-only loop of twelve
 * independent FloatVector accumulators (enough to cover FMA latency × throughput: 4 cycles × 2
 * pipes on Zen 3 and most Intel cores), no memory traffic. Runs on all cores by default
 * ({@code @Threads(MAX)}; {@link MatmulReport} also runs it on one). One op = {@link #STEPS}
 * steps of 12 FMAs of {@code L} lanes, 2 FLOPs each; JMH sums the threads' throughputs.
 *
 * <p>The accumulator is the FMA's addend ({@code a.fma(b, acc)}), matching x86's vfmadd231ps;
 * {@code acc.fma(a, b)} costs a register copy per FMA (measured: 62 instead of 98 GFLOP/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(Threads.MAX)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class FmaPeakBenchmark {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int STEPS = 1 << 16;
    static final int ACCUMULATORS = 12;

    /** FLOPs of one op. */
    static double flopsPerOp() {
        return 2.0 * ACCUMULATORS * F.length() * STEPS;
    }

    // Fields, not constants: the JIT must not fold the loop away.
    float a = 0.999f;
    float b = 1e-6f;

    @Benchmark
    public float fma() {
        FloatVector va = FloatVector.broadcast(F, a), vb = FloatVector.broadcast(F, b);
        FloatVector s0 = vb, s1 = vb.add(1), s2 = vb.add(2), s3 = vb.add(3), s4 = vb.add(4), s5 = vb.add(5);
        FloatVector s6 = vb.add(6), s7 = vb.add(7), s8 = vb.add(8), s9 = vb.add(9), s10 = vb.add(10), s11 = vb.add(11);
        for (int i = 0; i < STEPS; i++) {
            s0 = va.fma(vb, s0);
            s1 = va.fma(vb, s1);
            s2 = va.fma(vb, s2);
            s3 = va.fma(vb, s3);
            s4 = va.fma(vb, s4);
            s5 = va.fma(vb, s5);
            s6 = va.fma(vb, s6);
            s7 = va.fma(vb, s7);
            s8 = va.fma(vb, s8);
            s9 = va.fma(vb, s9);
            s10 = va.fma(vb, s10);
            s11 = va.fma(vb, s11);
        }
        return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).add(s8).add(s9).add(s10).add(s11)
                .reduceLanes(VectorOperators.ADD);
    }
}
