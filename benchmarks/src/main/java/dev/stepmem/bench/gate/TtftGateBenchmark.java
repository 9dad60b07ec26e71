package dev.stepmem.bench.gate;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.backend.Backend;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.cuda.CudaBackend;
import dev.stepmem.backend.gpu.GpuBackend;
import dev.stepmem.backend.opencl.OpenClBackend;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.Llama2cLoader;
import dev.stepmem.prefill.ChunkedPrefill;
import dev.stepmem.prefill.PrefillResult;
import dev.stepmem.backend.MemoryLedger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The TTFT gate's measurement: one iteration is one round over every configuration, each prefill
 * bracketed by runs of the calibration workload (C P1 C P2 C ... Pn C), the order rotated each
 * round; a prefill's normalized figure is its TTFT over the mean of the two calibrations beside
 * it. Interleaved in one JVM, a slow phase of the machine tends to hit a prefill and its
 * calibration together, and all configurations alike; the medians over rounds and forks absorb
 * what it does not (docs/ttft-gate.md has the measured spread).
 * {@link GateFiguresProfiler} carries the per-configuration figures out of the fork; the primary
 * score (the round's time) is not used. The defaults here are the gate's (4 forks of 2 warm-up and
 * 2 measured rounds, one thread); {@code TtftGate} runs it with its own options. By hand:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TtftGateBenchmark -prof dev.stepmem.bench.gate.GateFiguresProfiler
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 2)
@Fork(value = 4, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Dstepmem.threads=1"})
public class TtftGateBenchmark {
    /** Configuration ids separated by ';' (see {@link GateConfig#id()}); empty: the fixed set. */
    @Param("")
    String configs;

    /** cpu, opencl or cuda. */
    @Param("cpu")
    String backend;

    /** The opencl or cuda device (index or part of its name); empty: the first. */
    @Param("")
    String device;

    /**
     * L of the warm-up rounds' prefills (at most each configuration's own). Memory is bounded, so
     * a shorter prefill runs the same chunk shapes, fewer times: the JIT compiles the same code
     * for a quarter of the time, and the fork's fixed cost shrinks.
     */
    @Param("512")
    int warmupLength;

    private List<GateConfig> list;
    private ModelWeights weights;
    private final Map<Integer, int[]> inputs = new HashMap<>();
    private Calibration calibration;
    /** GPU backends are opened once (kernels compile once); the CPU backend is made per prefill, as elsewhere. */
    private Backend gpu;
    private int round;
    private boolean warmup;

    @Setup(Level.Trial)
    public void setUp() {
        list = configs.isBlank() ? GateConfig.DEFAULTS
                : Arrays.stream(configs.split(";")).map(GateConfig::parse).toList();
        weights = Llama2cLoader.load(Stories15m.ensureModel());
        for (GateConfig c : list) {
            inputs.computeIfAbsent(c.length(), l -> tokens(l, weights.config().vocabSize()));
            inputs.computeIfAbsent(Math.min(c.length(), warmupLength), l -> tokens(l, weights.config().vocabSize()));
        }
        String selector = device.isBlank() ? null : device;
        switch (backend) {
            case "cpu" -> calibration = new CpuCalibration();
            case "opencl" -> gpu = OpenClBackend.open(selector, new MemoryLedger());
            case "cuda" -> gpu = CudaBackend.open(selector, new MemoryLedger());
            default -> throw new IllegalArgumentException("backend '" + backend + "': expected cpu, opencl or cuda");
        }
        if (gpu != null) {
            calibration = new DeviceCalibration((GpuBackend) gpu);
        }
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        warmup = params.getType() == IterationType.WARMUP;
    }

    /** Random ids (TTFT does not depend on them), BOS first; seeded, so every run prefills the same input. */
    static int[] tokens(int length, int vocab) {
        SplittableRandom r = new SplittableRandom(1);
        int[] t = new int[length];
        for (int i = 0; i < length; i++) {
            t[i] = r.nextInt(vocab);
        }
        t[0] = 1;
        return t;
    }

    @Benchmark
    public int round() {
        int n = list.size();
        String[] ids = new String[n];
        double[] prefillMs = new double[n], calibrationMs = new double[n];
        long before = calibration.timeNanos();
        int sum = 0;
        for (int j = 0; j < n; j++) {
            GateConfig c = list.get((j + round) % n); // rotated, so no configuration always follows the same one
            if (warmup && warmupLength < c.length()) {
                c = new GateConfig(c.method(), c.compressor(), c.attention(), warmupLength, c.chunk(), c.memory());
            }
            PrefillResult r = ChunkedPrefill.run(weights, gpu != null ? gpu : new CpuBackend(), c.settings(),
                    inputs.get(c.length()), null);
            long after = calibration.timeNanos();
            ids[j] = c.id();
            prefillMs[j] = r.ttftNanos() / 1e6;
            calibrationMs[j] = (before + after) / 2e6;
            before = after;
            sum += r.firstToken();
        }
        round++;
        GateFiguresProfiler.last = new GateFiguresProfiler.Round(calibration.id(), ids, prefillMs, calibrationMs);
        return sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        calibration.close();
        if (gpu != null) {
            gpu.close();
        }
        weights.close();
    }
}
