package dev.stepmem.bench;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.model.KvCache;
import dev.stepmem.model.LlamaModel;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.Llama2cLoader;
import dev.stepmem.tokenizer.Llama2cTokenizer;
import dev.stepmem.tokenizer.Tokenizer;
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
 * One full-attention prefill of stories15M over {@code tokens} real tokens (a TinyStories-like
 * text) on the CPU backend, producing the last token's logits. tokens/s = tokens / (time per op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class PrefillBenchmark {
    static final String TEXT = "Once upon a time, there was a little girl named Lily. She loved to play outside in "
            + "the sunshine with her dog, Max. One day, Lily and Max went to the park. They saw a big tree with red "
            + "apples. Lily wanted an apple, but the tree was too tall. Max barked and ran around the tree. ";

    @Param("256")
    int tokens;

    ModelWeights weights;
    LlamaModel model;
    KvCache cache;
    int[] ids;

    @Setup(Level.Trial)
    public void setUp() {
        weights = Llama2cLoader.load(Stories15m.ensureModel());
        Tokenizer tok = Llama2cTokenizer.load(Stories15m.ensureTokenizer(), weights.config().vocabSize());
        ids = promptOf(tok, tokens);
        model = new LlamaModel(weights, new CpuBackend(), tokens, tokens);
        cache = model.newCache();
    }

    /** Exactly n token ids: BOS, then the text repeated as often as needed. */
    static int[] promptOf(Tokenizer tok, int n) {
        int[] once = tok.encode(TEXT.repeat(1 + n / 40), true, false);
        if (once.length < n) {
            throw new IllegalStateException("sample text too short for " + n + " tokens");
        }
        return java.util.Arrays.copyOf(once, n);
    }

    /**
     * FLOPs of one prefill of n stories15M tokens: the layers' matmuls for every token, causal
     * attention (QK^T and PV: 4 * hs per visible key and head), the classifier for the last token.
     */
    static double flopsPerPrefill(int n) {
        var c = dev.stepmem.model.ModelConfig.stories15M();
        double d = c.dim(), h = c.hiddenDim(), kv = c.kvDim();
        double perTokenLayer = 2 * (2 * d * d + 2 * d * kv + 3 * d * h);
        double attention = (double) n * (n + 1) / 2 * c.nHeads() * 4.0 * c.headSize();
        return c.nLayers() * (n * perTokenLayer + attention) + 2.0 * d * c.vocabSize();
    }

    @Benchmark
    public float prefill() {
        cache.setLength(0);
        model.forward(ids, cache, false);
        return model.logitsRow(0)[0];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
        model.close();
        weights.close();
    }
}
