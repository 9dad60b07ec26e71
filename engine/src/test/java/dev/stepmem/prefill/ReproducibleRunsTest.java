package dev.stepmem.prefill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.tensor.DType;
import org.junit.jupiter.api.Test;

/**
 * The same input, weights and thread count give the same bits: the first run starts with
 * interpreted and partly compiled kernels, the later ones run fully compiled, and their logits,
 * selections and perplexity must not differ in a single bit (CpuBackend fixes its work
 * partitioning and every reduction order, LaneSum and VectorExp included).
 */
class ReproducibleRunsTest {
    @Test
    void identicalRunsGiveIdenticalBits() {
        try (ModelWeights w = SyntheticWeights.create(ModelConfig.stories15M(), DType.F32, 3)) {
            int[] tokens = ChunkedPrefillExactnessTest.randomTokens(512, w.config().vocabSize(), 4);
            PrefillSettings s = new PrefillSettings(Method.IMDC, "linear", Compressors.parse("snapkv"), 512, 128, 64,
                    AttentionMode.EAGER);
            PrefillResult first = ChunkedPrefill.run(w, new CpuBackend(), s, tokens, null);
            double firstPpl = ChunkedPrefill.perplexity(w, new CpuBackend(), s, tokens, null).perplexity();
            for (int run = 1; run < 3; run++) {
                PrefillResult again = ChunkedPrefill.run(w, new CpuBackend(), s, tokens, null);
                assertArrayEquals(first.lastLogits(), again.lastLogits(), "run " + run + ": logits bit for bit");
                assertArrayEquals(first.memoryOrigins(), again.memoryOrigins(), "run " + run + ": kept tokens");
                assertEquals(Double.doubleToRawLongBits(firstPpl), Double.doubleToRawLongBits(
                        ChunkedPrefill.perplexity(w, new CpuBackend(), s, tokens, null).perplexity()), "run " + run);
            }
        }
    }
}
