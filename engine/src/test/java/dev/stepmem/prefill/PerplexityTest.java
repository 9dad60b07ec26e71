package dev.stepmem.prefill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.CrossEntropy;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.model.KvCache;
import dev.stepmem.model.LlamaModel;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.tensor.DType;
import org.junit.jupiter.api.Test;

/** METHOD.md §6 perplexity against an independent computation from one full causal pass. */
class PerplexityTest {
    static final int L = 120, C = 24;

    /** Mean cross-entropy of the last c predictions of one full pass, computed the plain way. */
    static double fullPassMeanNll(ModelWeights w, int[] tokens, int c) {
        try (LlamaModel m = new LlamaModel(w, new CpuBackend(), tokens.length, tokens.length);
             KvCache cache = m.newCache()) {
            m.forward(tokens, cache, true);
            double nll = 0;
            for (int t = tokens.length - c - 1; t < tokens.length - 1; t++) {
                float[] logits = m.logitsRow(t);
                double z = 0;
                for (float x : logits) {
                    z += Math.exp(x);
                }
                nll += Math.log(z) - logits[tokens[t + 1]];
            }
            return nll / c;
        }
    }

    @Test
    void fullAttentionReferenceMatchesOneFullPass() {
        try (ModelWeights w = SyntheticWeights.create(ChunkedPrefillExactnessTest.TINY_GQA, DType.F32, 21)) {
            int[] tokens = ChunkedPrefillExactnessTest.randomTokens(L, 50, 8);
            PerplexityResult r = ChunkedPrefill.fullAttentionPerplexity(w, new CpuBackend(), tokens, C, null);
            assertEquals(C, r.scoredTokens());
            assertEquals(fullPassMeanNll(w, tokens, C), r.meanNll(), 1e-4);
            assertEquals(Math.exp(r.meanNll()), r.perplexity(), 1e-9);
        }
    }

    @Test
    void withoutEvictionEveryMethodScoresLikeFullAttention() {
        try (ModelWeights w = SyntheticWeights.create(ChunkedPrefillExactnessTest.TINY_GQA, DType.F32, 22)) {
            int[] tokens = ChunkedPrefillExactnessTest.randomTokens(L, 50, 9);
            double full = fullPassMeanNll(w, tokens, C);
            // prefix of 96 tokens: FM and IM with m_max = 400 (IM's a = 100 >= c) keep everything
            for (PrefillSettings s : new PrefillSettings[] {
                    new PrefillSettings(Method.FM, "linear", Compressors.parse("snapkv"), L, C, 400),
                    new PrefillSettings(Method.IM, "linear", Compressors.parse("snapkv"), L, C, 400)}) {
                PerplexityResult r = ChunkedPrefill.perplexity(w, new CpuBackend(), s, tokens, null);
                assertEquals(0, r.prefix().selections(), s + " must evict nothing");
                assertEquals(full, r.meanNll(), 1e-4, s.toString());
            }
        }
    }

    @Test
    void evictionChangesThePerplexityAndSettingsAreChecked() {
        try (ModelWeights w = SyntheticWeights.create(ChunkedPrefillExactnessTest.TINY_GQA, DType.F32, 23)) {
            int[] tokens = ChunkedPrefillExactnessTest.randomTokens(L, 50, 10);
            PrefillSettings tight = new PrefillSettings(Method.FM, "linear", Compressors.parse("streamingllm"), L, C, 8);
            PerplexityResult r = ChunkedPrefill.perplexity(w, new CpuBackend(), tight, tokens, null);
            assertTrue(r.prefix().selections() > 0);
            assertTrue(Math.abs(r.meanNll() - fullPassMeanNll(w, tokens, C)) > 1e-6, "memory of 8 loses information");
            PrefillSettings noPrefix = new PrefillSettings(Method.FM, "linear", Compressors.parse("snapkv"), 26, 24, 8);
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> ChunkedPrefill.perplexity(w, new CpuBackend(), noPrefix, new int[26], null))
                    .getMessage().contains("L - c >= 5"));
        }
    }

    @Test
    void crossEntropyOfAUniformDistributionIsLogV() {
        assertEquals(Math.log(4), CrossEntropy.of(new float[] {1, 1, 1, 1}, 2), 1e-12);
        assertEquals(Math.log(1 + Math.exp(-3)), CrossEntropy.of(new float[] {3, 0}, 0), 1e-12);
    }
}
