package dev.stepmem.backend.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.Llama2cLoader;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.prefill.ChunkedPrefill;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillResult;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ProfileTexts;
import dev.stepmem.tensor.DType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The sim backend runs the same loop with the same allocations: its ledger peak is the CPU backend's, to the byte. */
class SimPeakTest {
    /** d 64, 2 layers, 4 heads of 16, 2 KV heads (GQA), vocabulary 50. */
    static final dev.stepmem.model.ModelConfig TINY_GQA = new dev.stepmem.model.ModelConfig("llama", 64, 96, 2, 4, 2,
            50, 256, 1e-5f, 10000.0, dev.stepmem.backend.RopeStyle.ROTATE_HALF, 0, false);
    static final DeviceProfile GPU = ProfileTexts.parse("peak-test", "80 GiB");

    private static void assertSamePeaks(ModelWeights w, ModelWeights shapes, int l, int c, int m) {
        int[] tokens = new java.util.SplittableRandom(5).ints(l, 3, w.config().vocabSize()).toArray();
        for (Method method : Method.values()) {
            for (AttentionMode mode : AttentionMode.values()) {
                for (String compressor : new String[] {"snapkv", "streamingllm"}) {
                    PrefillSettings s = new PrefillSettings(method, "linear", Compressors.parse(compressor), l, c, m, mode);
                    PrefillResult cpu = ChunkedPrefill.run(w, new CpuBackend(), s, tokens, null);
                    SimBackend sim = new SimBackend(GPU, ProfileTexts.implementation("efficient"), new MemoryLedger(), SimBackend.Precision.forDevice(GPU, w.matrixType()));
                    PrefillResult modeled = ChunkedPrefill.run(shapes, sim, s, tokens, null);
                    assertEquals(cpu.peakBytes(), modeled.peakBytes(), s + ": peak");
                    assertEquals(cpu.peakByCategory(), modeled.peakByCategory(), s + ": peak per category");
                    assertEquals(Arrays.toString(cpu.memoryPerLayer()), Arrays.toString(modeled.memoryPerLayer()), s + ": memory kept");
                    assertEquals(cpu.steps().size(), modeled.steps().size());
                    for (int i = 0; i < cpu.steps().size(); i++) {
                        assertEquals(cpu.steps().get(i).forwardLength(), modeled.steps().get(i).forwardLength(), s + " step " + i);
                    }
                }
            }
        }
    }

    @Test
    void tinyGqaModelShapeOnlyWeights() {
        var config = TINY_GQA;
        try (ModelWeights w = SyntheticWeights.create(config, DType.BF16, 1)) {
            assertSamePeaks(w, SyntheticWeights.shapesOnly(config, DType.BF16), 150, 32, 40);
        }
    }

    @Test
    void stories15m() {
        try (ModelWeights w = Llama2cLoader.load(Stories15m.ensureModel())) {
            assertSamePeaks(w, w, 600, 128, 64);
        }
    }
}
