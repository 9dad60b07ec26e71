package dev.stepmem.bench;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Backends;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.Llama2cLoader;
import dev.stepmem.prefill.ChunkedPrefill;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillResult;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
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

/**
 * TTFT of one chunked prefill (METHOD.md §1) of stories15M on a computing backend (the CPU by
 * default; {@code -p backend=opencl:NAME} or {@code cuda:0} for a GPU, see {@code stepmem devices}),
 * one cold-ish run per iteration ({@code SingleShotTime}: a prefill is long work, not a loop to
 * average), swept over method, compressor, attention mode, incremental function, L, c and m_max. With {@link PrefillFiguresProfiler},
 * the ledger's peak memory and tokens/s come out as secondary results. For example:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ChunkedPrefillBenchmark -p method=fm,imdc -p length=4096 \
 *   -prof dev.stepmem.bench.PrefillFiguresProfiler
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ChunkedPrefillBenchmark {
    /** "cpu", or "opencl[:DEVICE]" / "cuda[:DEVICE]" (Backends.open). */
    @Param("cpu")
    String backend;

    @Param({"fm", "im", "imdc"})
    String method;

    @Param({"snapkv", "streamingllm"})
    String compressor;

    @Param({"flash", "eager"})
    String attention;

    @Param("linear")
    String function;

    @Param("4096")
    int length;

    @Param("128")
    int chunk;

    @Param("128")
    int memory;

    ModelWeights weights;
    PrefillSettings settings;
    int[] tokens;
    Backend device;

    @Setup(Level.Trial)
    public void setUp() {
        weights = Llama2cLoader.load(Stories15m.ensureModel());
        settings = new PrefillSettings(Method.parse(method), function, Compressors.parse(compressor), length, chunk,
                memory, AttentionMode.parse(attention));
        settings.plan(weights.config().nLayers()); // refuse a bad combination before timing anything
        SplittableRandom r = new SplittableRandom(1);
        tokens = new int[length];
        for (int i = 0; i < length; i++) {
            tokens[i] = r.nextInt(weights.config().vocabSize());
        }
        tokens[0] = 1; // BOS; TTFT and memory do not depend on the ids
    }

    /** A fresh device per timed prefill, opened outside the timing (a GPU context and its kernels take a while). */
    @Setup(Level.Iteration)
    public void openDevice() {
        device = Backends.open(backend, new MemoryLedger());
    }

    @TearDown(Level.Iteration)
    public void closeDevice() {
        device.close();
    }

    @Benchmark
    public int prefill() {
        PrefillResult r = ChunkedPrefill.run(weights, device, settings, tokens, null);
        PrefillFiguresProfiler.lastPeakMiB = r.peakBytes() / (1024.0 * 1024.0);
        PrefillFiguresProfiler.lastTokensPerSecond = r.tokensPerSecond();
        return r.firstToken();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        weights.close();
    }
}
