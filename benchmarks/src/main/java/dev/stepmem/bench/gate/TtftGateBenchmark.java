package dev.stepmem.bench.gate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The TTFT gate's measurement: the reference build and the working tree in one JVM, each through
 * its own copy of {@link GateTarget} (the reference's from its jar, in its own class loader), one
 * prefill of each per invocation, the order alternating. Side by side within a second, a slow
 * phase of the machine hits both alike; the gate judges the per-pair ratios. The TTFTs come out
 * as the secondary results {@code referenceMs}, {@code candidateMs} (and {@code slowedMs}, the
 * working tree with {@link SlowedBackend}, when {@code slowdown} > 0); the primary score (the
 * pair's time) is not used. {@code bin/ttft-gate} runs it; by hand:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TtftGateBenchmark -p reference=.cache/ttft-gate/SHA/benchmarks/target/benchmarks.jar \
 *   -p config=fm/snapkv/flash/L2048/c128/m128
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 6)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-Dstepmem.threads=1"})
public class TtftGateBenchmark {
    /** A configuration id, e.g. {@code imdc/snapkv/eager/L2048/c128/m128} (GatePlan lists the gate's). */
    @Param("fm/snapkv/flash/L2048/c128/m128")
    String config;

    /** The reference build's benchmarks jar (required). */
    @Param("")
    String reference;

    /** cpu, opencl[:DEVICE] or cuda[:DEVICE]. */
    @Param("cpu")
    String device;

    /** > 0: also time the working tree with every op this much slower (the self-check). */
    @Param("0")
    double slowdown;

    /** Reference, candidate, and the slowed candidate when asked; null where the reference lacks the configuration. */
    private final List<LongSupplier> builds = new ArrayList<>();
    private int invocation;

    /** One invocation's TTFTs (NaN: not run). */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Ttft {
        public double referenceMs, candidateMs, slowedMs;

        @Setup(Level.Iteration)
        public void clear() {
            referenceMs = candidateMs = slowedMs = Double.NaN;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws ReflectiveOperationException {
        if (reference.isBlank()) {
            throw new IllegalArgumentException("-p reference=JAR (the reference build's benchmarks jar) is required");
        }
        builds.add(referencePrefill());
        builds.add(GateTarget.prefill(config, device, 0));
        if (slowdown > 0) {
            builds.add(GateTarget.prefill(config, device, slowdown));
        }
    }

    /** The reference's prefill of this configuration, or null when that build does not know it. */
    private LongSupplier referencePrefill() throws ReflectiveOperationException {
        Class<?> target = Class.forName(GateTarget.class.getName(), true, referenceLoader(Path.of(reference)));
        try {
            return (LongSupplier) target.getMethod("prefill", String.class, String.class, double.class)
                    .invoke(null, config, device, 0.0);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException) {
                return null; // a configuration added after the reference: reported, not judged
            }
            throw e;
        }
    }

    /**
     * The reference jar's classes, apart from the working tree's; only the JNI bindings (JOCL,
     * JCuda) are shared, since a native library loads into one class loader only.
     */
    static ClassLoader referenceLoader(Path jar) {
        ClassLoader app = TtftGateBenchmark.class.getClassLoader();
        ClassLoader jdkAndJni = new ClassLoader(ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.startsWith("org.jocl.") || name.startsWith("jcuda.")) {
                    return app.loadClass(name);
                }
                throw new ClassNotFoundException(name);
            }
        };
        try {
            return new URLClassLoader(new URL[] {jar.toUri().toURL()}, jdkAndJni);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public void pair(Ttft t) {
        int n = builds.size();
        for (int k = 0; k < n; k++) {
            int b = (k + invocation) % n; // alternate which build goes first
            LongSupplier prefill = builds.get(b);
            double ms = prefill == null ? Double.NaN : prefill.getAsLong() / 1e6;
            switch (b) {
                case 0 -> t.referenceMs = ms;
                case 1 -> t.candidateMs = ms;
                default -> t.slowedMs = ms;
            }
        }
        invocation++;
    }
}
