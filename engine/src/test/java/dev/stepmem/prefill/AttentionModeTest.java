package dev.stepmem.prefill;

import static dev.stepmem.backend.BackendOpsTestAccess.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Test;

/**
 * EAGER and FLASH attention (METHOD.md §8) must select the same memory and give the same logits;
 * they differ only in what they hold: EAGER keeps every layer's [heads * S, S] map until the
 * step's compression, which the ledger must show.
 */
class AttentionModeTest {
    static final ModelConfig TINY = ChunkedPrefillExactnessTest.TINY_GQA;

    static PrefillResult run(ModelWeights w, Method method, AttentionMode attention, MemoryLedger ledger) {
        return run(w, method, "snapkv", attention, ledger);
    }

    static PrefillResult run(ModelWeights w, Method method, String compressor, AttentionMode attention,
                             MemoryLedger ledger) {
        PrefillSettings s = new PrefillSettings(method, "linear", Compressors.parse(compressor), 150, 32, 40, attention);
        return ChunkedPrefill.run(w, new CpuBackend(ledger), s, Arrays.copyOf(ChunkedPrefillTest.TOKENS, 150), null);
    }

    @Test
    void eagerAndFlashSelectTheSameMemoryAndGiveTheSameLogits() {
        try (ModelWeights w = SyntheticWeights.create(TINY, DType.F32, 4)) {
            for (String compressor : new String[] {"snapkv", "streamingllm"}) {
                for (Method method : Method.values()) {
                    PrefillResult flash = run(w, method, compressor, AttentionMode.FLASH, new MemoryLedger());
                    PrefillResult eager = run(w, method, compressor, AttentionMode.EAGER, new MemoryLedger());
                    String what = method + " " + compressor;
                    assertTrue(flash.selections() > 0, what + ": the case must evict");
                    for (int l = 0; l < TINY.nLayers(); l++) {
                        for (int g = 0; g < TINY.nKvHeads(); g++) {
                            assertArrayEquals(flash.memoryOrigins()[l][g], eager.memoryOrigins()[l][g],
                                    what + ": layer " + l + " KV head " + g + " keeps the same tokens");
                        }
                    }
                    assertClose(flash.lastLogits(), eager.lastLogits(), 1e-4, what + ": eager vs flash logits");
                }
            }
        }
    }

    @Test
    void eagerHoldsEveryLayersMapUntilCompressionAndFlashHoldsNone() {
        try (ModelWeights w = SyntheticWeights.create(TINY, DType.F32, 4)) {
            PrefillResult flash = run(w, Method.FM, AttentionMode.FLASH, new MemoryLedger());
            MemoryLedger ledger = new MemoryLedger();
            PrefillResult eager = run(w, Method.FM, AttentionMode.EAGER, ledger);
            assertFalse(flash.peakByCategory().containsKey("scores"), "flash keeps no score maps");
            // FM, c = 32, m_max = 40: the largest forward sees S = 4 + 40 + 32 = 76 positions in every layer.
            int s = eager.steps().stream().mapToInt(StepRecord::forwardLength).max().orElseThrow();
            assertEquals(76, s);
            long allLayersMaps = (long) TINY.nLayers() * TINY.nHeads() * s * s * Float.BYTES;
            assertEquals(allLayersMaps, eager.peakByCategory().get("scores"), "all layers' maps are held at once");
            // Two [maxContext, d] buffers for the padded queries and the all-rows output, too.
            long padded = 2L * s * TINY.dim() * Float.BYTES;
            assertEquals(flash.peakBytes() + allLayersMaps + padded, eager.peakBytes(), "eager's extra memory");
            assertEquals(0, ledger.currentByCategory().getOrDefault("scores", 0L), "maps are freed after the run");
        }
    }

    @Test
    void eagerOnTheReferenceBackendMatchesTheFastBackend() {
        try (ModelWeights w = SyntheticWeights.create(TINY, DType.F32, 6)) {
            PrefillSettings s = new PrefillSettings(Method.IMDC, "linear", Compressors.parse("snapkv"), 100, 32, 40,
                    AttentionMode.EAGER);
            int[] tokens = Arrays.copyOf(ChunkedPrefillTest.TOKENS, 100);
            PrefillResult fast = ChunkedPrefill.run(w, new CpuBackend(), s, tokens, null);
            PrefillResult plain = ChunkedPrefill.run(w, new ReferenceBackend(), s, tokens, null);
            assertTrue(fast.selections() > 0, "the case must evict");
            assertTrue(Arrays.deepEquals(plain.memoryOrigins(), fast.memoryOrigins()), "same selections");
            assertClose(plain.lastLogits(), fast.lastLogits(), 1e-4, "reference vs cpu, eager");
        }
    }
}
