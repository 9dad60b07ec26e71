package dev.stepmem.model;

import static dev.stepmem.backend.BackendOpsTestAccess.assertClose;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.backend.Backend;
import dev.stepmem.backend.RopeStyle;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.cpu.ReferenceBackend;
import dev.stepmem.model.load.Llama2cLoader;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.tensor.DType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole forward pass of the fast CPU backend against the plain reference backend (an
 * independent implementation of every op), plus the KV cache: chunked == one pass.
 */
class ForwardTest {
    /** A small grouped-query config: 4 query heads share 2 KV heads; rotate-half RoPE. */
    static final ModelConfig TINY_GQA = new ModelConfig("llama", 64, 96, 2, 4, 2, 50, 64, 1e-5f, 10000.0,
            RopeStyle.ROTATE_HALF, 0, false);

    static final int[] TOKENS = {1, 7, 12, 3, 49, 0, 22, 22, 8, 31, 17, 5, 44, 2, 9, 16, 38, 27};

    @ParameterizedTest
    @EnumSource(DType.class)
    void fastMatchesReferenceOnTinyGqa(DType type) {
        try (ModelWeights w = SyntheticWeights.create(TINY_GQA, type, 42)) {
            float[] want = allLogits(w, new ReferenceBackend(), TOKENS);
            float[] got = allLogits(w, new CpuBackend(), TOKENS);
            assertClose(want, got, 1e-4, "tiny GQA " + type + " logits");
        }
    }

    @Test
    void fastMatchesReferenceOnStories15M() {
        try (ModelWeights w = Llama2cLoader.load(Stories15m.ensureModel())) {
            int[] tokens = {1, 9038, 2501, 263, 931, 29892, 727, 471, 263, 2217, 7826, 4257, 365, 2354, 29889};
            float[] want = allLogits(w, new ReferenceBackend(), tokens);
            float[] got = allLogits(w, new CpuBackend(), tokens);
            assertClose(want, got, 1e-4, "stories15M logits");
        }
    }

    @Test
    void chunkedForwardEqualsOnePass() {
        try (ModelWeights w = SyntheticWeights.create(TINY_GQA, DType.F32, 7)) {
            Backend b = new CpuBackend();
            float[] onePass = allLogits(w, b, TOKENS);
            int v = TINY_GQA.vocabSize();
            try (LlamaModel m = new LlamaModel(w, b, 8, 32); KvCache cache = m.newCache()) {
                float[] chunked = new float[TOKENS.length * v];
                for (int from = 0; from < TOKENS.length; from += 5) { // chunks of 5, 5, 5, 3
                    int[] chunk = Arrays.copyOfRange(TOKENS, from, Math.min(TOKENS.length, from + 5));
                    m.forward(chunk, cache, true);
                    for (int r = 0; r < chunk.length; r++) {
                        System.arraycopy(m.logitsRow(r), 0, chunked, (from + r) * v, v);
                    }
                }
                assertClose(onePass, chunked, 1e-5, "chunked vs one pass");
            }
        }
    }

    static float[] allLogits(ModelWeights w, Backend b, int[] tokens) {
        int v = w.config().vocabSize();
        try (LlamaModel m = new LlamaModel(w, b, tokens.length, tokens.length); KvCache cache = m.newCache()) {
            m.forward(tokens, cache, true);
            float[] all = new float[tokens.length * v];
            for (int r = 0; r < tokens.length; r++) {
                System.arraycopy(m.logitsRow(r), 0, all, r * v, v);
            }
            return all;
        }
    }
}
