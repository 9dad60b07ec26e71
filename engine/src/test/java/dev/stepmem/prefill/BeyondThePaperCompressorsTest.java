package dev.stepmem.prefill;

import static dev.stepmem.backend.BackendOpsTestAccess.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.cpu.ReferenceBackend;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.tensor.DType;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compressors beyond the paper inside the real chunked loop: with nothing evicted every one
 * equals one full pass under FM, IM and IMDC; with eviction flash and eager select the same
 * memory (every one of them runs under both: those with scores read them off the window pass).
 */
class BeyondThePaperCompressorsTest {
    static final ModelConfig TINY = ChunkedPrefillExactnessTest.TINY_GQA;

    /**
     * (method, L, c, m_max) evicting nothing even in PyramidKV's top layer (f = 0.05 of 2 layers):
     * FM keeps all when 0.05 m_max >= L; IM linear (n = 3) when 0.05 m_i >= the candidates; IMDC
     * with n = 2 (chunks [35, 35]) when 0.05 m_0 >= 31 and 0.05 m_max >= 66.
     */
    static final Object[][] NO_EVICTION = {
            {Method.FM, 96, 32, 4096},
            {Method.IM, 96, 32, 4096},
            {Method.IMDC, 70, 40, 2800}};

    @ParameterizedTest
    @ValueSource(strings = {"h2o", "tova", "scissorhands", "knorm", "sage-kv", "sage-kv-token", "pyramidkv",
            "pyramidkv:h2o", "random:3"})
    void nothingEvictedEqualsOneFullPass(String compressor) {
        try (ModelWeights w = SyntheticWeights.create(TINY, DType.F32, 11)) {
            for (Object[] c : NO_EVICTION) {
                int length = (int) c[1];
                int[] tokens = ChunkedPrefillExactnessTest.randomTokens(length, TINY.vocabSize(), 5);
                float[] full = ChunkedPrefillExactnessTest.fullPassLastLogits(w, tokens);
                for (AttentionMode attention : AttentionMode.values()) {
                    PrefillSettings s = new PrefillSettings((Method) c[0], "linear", Compressors.parse(compressor),
                            length, (int) c[2], (int) c[3], attention);
                    PrefillResult r = ChunkedPrefill.run(w, new CpuBackend(), s, tokens, null);
                    assertEquals(0, r.selections(), s + " must evict nothing: " + r.steps());
                    assertClose(full, r.lastLogits(), 1e-4, s + " vs full pass");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2o", "tova", "scissorhands", "knorm", "sage-kv", "sage-kv-token", "pyramidkv",
            "pyramidkv:scissorhands", "random:3"})
    void flashAndEagerSelectTheSameMemory(String compressor) {
        try (ModelWeights w = SyntheticWeights.create(TINY, DType.F32, 4)) {
            for (Method method : Method.values()) {
                PrefillResult flash = AttentionModeTest.run(w, method, compressor, AttentionMode.FLASH, new MemoryLedger());
                PrefillResult eager = AttentionModeTest.run(w, method, compressor, AttentionMode.EAGER, new MemoryLedger());
                String what = method + " " + compressor;
                assertTrue(flash.selections() > 0, what + ": the case must evict");
                assertTrue(Arrays.deepEquals(flash.memoryOrigins(), eager.memoryOrigins()), what + ": same tokens kept");
                assertClose(flash.lastLogits(), eager.lastLogits(), 1e-4, what + ": eager vs flash logits");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2o", "scissorhands", "knorm"})
    void theReferenceBackendKeepsTheSameMemory(String compressor) {
        try (ModelWeights w = SyntheticWeights.create(TINY, DType.F32, 6)) {
            PrefillSettings s = new PrefillSettings(Method.IM, "linear", Compressors.parse(compressor), 150, 32, 40);
            int[] tokens = Arrays.copyOf(ChunkedPrefillTest.TOKENS, 150);
            PrefillResult fast = ChunkedPrefill.run(w, new CpuBackend(), s, tokens, null);
            PrefillResult plain = ChunkedPrefill.run(w, new ReferenceBackend(), s, tokens, null);
            assertTrue(fast.selections() > 0, "the case must evict");
            assertTrue(Arrays.deepEquals(plain.memoryOrigins(), fast.memoryOrigins()), s + ": same selections");
            assertClose(plain.lastLogits(), fast.lastLogits(), 1e-4, s + ": reference vs cpu");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fm", "im", "imdc"})
    void pyramidKvEndsWithItsPerLayerBudget(String method) {
        try (ModelWeights w = SyntheticWeights.create(TINY, DType.F32, 4)) {
            PrefillResult r = AttentionModeTest.run(w, Method.parse(method), "pyramidkv", AttentionMode.FLASH,
                    new MemoryLedger());
            // m_max = 40 over two layers: f = [1.95, 0.05] -> 78 and 2 tokens at the end.
            assertArrayEquals(new int[] {78, 2}, r.memoryPerLayer(), method);
        }
    }
}
