package dev.stepmem.prefill;

import static dev.stepmem.backend.BackendOpsTestAccess.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.backend.Backend;
import dev.stepmem.backend.RopeStyle;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.KvCache;
import dev.stepmem.model.LlamaModel;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.Llama2cLoader;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.tensor.DType;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With memory large enough that nothing is evicted, chunked prefill under any method must give
 * the same last-position logits as one causal pass over all L tokens: this pins down positions
 * (contiguous re-indexing), sinks, the un-rotated key cache and the chunk plans. Each case is
 * chosen so that no selection runs, and the test asserts that, so it cannot pass vacuously.
 */
class ChunkedPrefillExactnessTest {
    static final ModelConfig TINY_GQA = new ModelConfig("llama", 64, 96, 2, 4, 2, 50, 256, 1e-5f, 10000.0,
            RopeStyle.ROTATE_HALF, 0, false);

    /**
     * (method, function, L, c, m_max). FM keeps all when m_max >= L. IM linear keeps all when
     * a = m_max // n >= c. IMDC with L = 96, c = 32, m_max = 144: a = 48, chunks [32, 56, 8],
     * memory held 28, 84, 92 against targets 48, 96, 144: nothing evicted.
     */
    static Stream<Arguments> noEvictionCases() {
        return Stream.of(
                Arguments.of(Method.FM, "linear", 96, 32, 96),
                Arguments.of(Method.FM, "linear", 101, 17, 128),   // L not a multiple of c
                Arguments.of(Method.FM, "linear", 40, 64, 64),     // n = 1
                Arguments.of(Method.IM, "linear", 96, 32, 96),
                Arguments.of(Method.IM, "sqrt", 90, 20, 100),
                Arguments.of(Method.IMDC, "linear", 96, 32, 144),
                Arguments.of(Method.IMDC, "linear", 70, 40, 140));  // n = 2
    }

    @ParameterizedTest(name = "{0}/{1} L={2} c={3} m_max={4}")
    @MethodSource("noEvictionCases")
    void noEvictionEqualsOneFullPassOnTinyGqa(Method method, String function, int length, int chunk, int memory) {
        try (ModelWeights w = SyntheticWeights.create(TINY_GQA, DType.F32, 11)) {
            int[] tokens = randomTokens(length, TINY_GQA.vocabSize(), 5);
            for (String compressor : new String[] {"streamingllm", "snapkv"}) {
                for (AttentionMode attention : AttentionMode.values()) {
                    PrefillSettings s = new PrefillSettings(method, function, Compressors.parse(compressor), length,
                            chunk, memory, attention);
                    PrefillResult r = ChunkedPrefill.run(w, new CpuBackend(), s, tokens, null);
                    assertEquals(0, r.selections(), "this case must evict nothing: " + r.steps());
                    assertClose(fullPassLastLogits(w, tokens), r.lastLogits(), 1e-4, s + " vs full pass");
                }
            }
        }
    }

    @Test
    void noEvictionEqualsOneFullPassOnStories15M() {
        try (ModelWeights w = Llama2cLoader.load(Stories15m.ensureModel())) {
            int[] tokens = randomTokens(200, 32000, 9);
            tokens[0] = 1; // BOS
            float[] full = fullPassLastLogits(w, tokens);
            for (Method method : Method.values()) {
                // FM, IM: c = 64, m_max = 1024 (IM's a = 256 >= c). IMDC: c = 130 gives n = 2, chunks [100, 100].
                // IM runs eager attention, the others flash (both modes on both models).
                AttentionMode attention = method == Method.IM ? AttentionMode.EAGER : AttentionMode.FLASH;
                PrefillSettings s = method == Method.IMDC
                        ? new PrefillSettings(method, "linear", Compressors.parse("snapkv"), 200, 130, 400, attention)
                        : new PrefillSettings(method, "linear", Compressors.parse("snapkv"), 200, 64, 1024, attention);
                PrefillResult r = ChunkedPrefill.run(w, new CpuBackend(), s, tokens, null);
                assertEquals(0, r.selections(), s + " must evict nothing");
                assertClose(full, r.lastLogits(), 1e-4, s + " vs full pass");
            }
        }
    }

    static float[] fullPassLastLogits(ModelWeights w, int[] tokens) {
        Backend b = new CpuBackend();
        try (LlamaModel m = new LlamaModel(w, b, tokens.length, tokens.length); KvCache cache = m.newCache()) {
            m.forward(tokens, cache, false);
            return m.logitsRow(0);
        }
    }

    static int[] randomTokens(int n, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }
}
