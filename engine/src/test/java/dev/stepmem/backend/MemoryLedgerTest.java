package dev.stepmem.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.model.KvCache;
import dev.stepmem.model.LlamaModel;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.tensor.DType;
import org.junit.jupiter.api.Test;

class MemoryLedgerTest {

    @Test
    void countsCurrentPeakAndCategories() {
        MemoryLedger l = new MemoryLedger();
        l.charge("kv.k.0", 100);
        l.charge("act.x", 50);
        l.release("act.x", 50);
        l.charge("kv.v.0", 30);
        assertEquals(130, l.current());
        assertEquals(150, l.peak());
        assertEquals(130L, l.currentByCategory().get("kv"));
        assertEquals(50L, l.peakByCategory().get("act"));
        l.resetPeak();
        assertEquals(130, l.peak());
    }

    @Test
    void capacityIsEnforcedBeforeAllocating() {
        MemoryLedger l = new MemoryLedger(1000);
        l.charge("weights.wq", 900);
        var e = assertThrows(DeviceOutOfMemoryException.class, () -> l.charge("kv.k.3", 200));
        assertEquals(1100, e.needed());
        assertTrue(e.getMessage().contains("kv.k.3") && e.getMessage().contains("short by 100"), e.getMessage());
        assertEquals(900, l.current(), "the failed allocation is not charged");
        assertThrows(IllegalStateException.class, () -> l.release("act.x", 1), "cannot release what was never held");
        assertThrows(IllegalArgumentException.class, () -> new MemoryLedger(0));
    }

    @Test
    void modelChargesWeightsActivationsAndCacheExactlyAndReleasesThemAll() {
        ModelConfig c = new ModelConfig("llama", 64, 96, 2, 4, 2, 50, 64, 1e-5f, 10000.0,
                RopeStyle.ROTATE_HALF, 0, true);
        try (ModelWeights w = SyntheticWeights.create(c, DType.BF16, 3)) {
            MemoryLedger ledger = new MemoryLedger();
            Backend b = new CpuBackend(ledger);
            int chunk = 8, ctx = 32;
            try (LlamaModel m = new LlamaModel(w, b, chunk, ctx)) {
                long d = 64, kv = 32, h = 96, v = 50, layers = 2;
                long weights = 2 * (v * d + layers * (2 * d * d + 2 * kv * d + 3 * h * d)) // bf16 matrices, tied
                        + 4 * (layers * 2 * d + d);                                        // f32 norms
                long act = 4 * (chunk * (5 * d + 2 * kv + 2 * h + v) + ctx * kv);
                assertEquals(weights, ledger.currentByCategory().get("weights"));
                assertEquals(weights + act, ledger.current());
                try (KvCache cache = m.newCache()) {
                    assertEquals(4 * layers * 2 * ctx * kv, ledger.currentByCategory().get("kv"));
                }
            }
            assertEquals(0, ledger.current(), "closing the model and cache returns every byte");
        }
    }

    @Test
    void aModelThatDoesNotFitFailsWithTheBufferNamed() {
        ModelConfig c = ModelConfig.stories15M();
        try (ModelWeights w = SyntheticWeights.create(c, DType.F32, 3)) {
            MemoryLedger ledger = new MemoryLedger(70_000_000L); // weights alone are ~61 MB
            Backend b = new CpuBackend(ledger);
            var e = assertThrows(DeviceOutOfMemoryException.class, () -> new LlamaModel(w, b, 4096, 4096));
            assertTrue(e.getMessage().startsWith("out of device memory: "), e.getMessage());
            assertEquals(0, ledger.current(), "a failed construction gives back what it took");
        }
    }
}
