package dev.stepmem.prefill;

import static dev.stepmem.backend.BackendOpsTestAccess.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.opencl.OpenClBackend;
import dev.stepmem.backend.opencl.OpenClTestDevice;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.Llama2cLoader;
import dev.stepmem.prefill.compress.Compressors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end: chunked prefill of stories15M on the {@code opencl} backend (the GPU kernels, on
 * PoCL) against the CPU backend, for FM, IM and IMDC with both compressors: the same tokens kept
 * in every layer and KV head, the same last logits (1e-4 relative) and perplexity (1e-4
 * relative), and the same ledger peaks per category (every device buffer charged like the CPU's).
 * L = 360, c = 64, m_max = 64: six chunks, selection at every step from the second on.
 */
class OpenClPrefillTest {
    private static final int L = 360, C = 64, M = 64;
    private static ModelWeights weights;
    private static int[] tokens;

    @BeforeAll
    static void load() throws Exception {
        OpenClTestDevice.required();
        weights = Llama2cLoader.load(Stories15m.ensureModel());
        tokens = ChunkedPrefillExactnessTest.randomTokens(L, weights.config().vocabSize(), 11);
        tokens[0] = 1; // BOS
    }

    @AfterAll
    static void close() {
        if (weights != null) {
            weights.close();
        }
    }

    static Stream<Arguments> flashSettings() {
        return Stream.of(Method.values()).flatMap(m -> Stream.of("snapkv", "streamingllm")
                .map(c -> Arguments.of(m, c, AttentionMode.FLASH)));
    }

    /** Every method and compressor under flash attention, and IMDC + SnapKV under eager (its kernels end to end). */
    static Stream<Arguments> settings() {
        return Stream.concat(flashSettings(), Stream.of(Arguments.of(Method.IMDC, "snapkv", AttentionMode.EAGER)));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("settings")
    void openClMatchesCpu(Method method, String compressor, AttentionMode attention) {
        PrefillSettings s = new PrefillSettings(method, "linear", Compressors.parse(compressor), L, C, M, attention);
        PrefillResult cpu = ChunkedPrefill.run(weights, new CpuBackend(new MemoryLedger()), s, tokens, null);
        PrefillResult gpu;
        try (OpenClBackend opencl = OpenClTestDevice.fresh(new MemoryLedger())) {
            gpu = ChunkedPrefill.run(weights, opencl, s, tokens, null);
        }
        assertTrue(cpu.selections() > 0, "the case must evict");
        int[][][] want = cpu.memoryOrigins(), got = gpu.memoryOrigins();
        for (int l = 0; l < want.length; l++) {
            for (int g = 0; g < want[l].length; g++) {
                assertArrayEquals(want[l][g], got[l][g], "layer " + l + " KV head " + g + " keeps the same tokens");
            }
        }
        assertClose(cpu.lastLogits(), gpu.lastLogits(), 1e-4, "last logits");
        assertEquals(cpu.firstToken(), gpu.firstToken(), "first token");
        assertEquals(cpu.peakByCategory(), gpu.peakByCategory(), "ledger peaks per category");
        assertEquals(cpu.peakBytes(), gpu.peakBytes(), "ledger peak");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("flashSettings")
    void perplexityMatchesCpu(Method method, String compressor, AttentionMode attention) {
        PrefillSettings s = new PrefillSettings(method, "linear", Compressors.parse(compressor), L, C, M, attention);
        PerplexityResult cpu = ChunkedPrefill.perplexity(weights, new CpuBackend(new MemoryLedger()), s, tokens, null);
        PerplexityResult gpu;
        try (OpenClBackend opencl = OpenClTestDevice.fresh(new MemoryLedger())) {
            gpu = ChunkedPrefill.perplexity(weights, opencl, s, tokens, null);
        }
        assertEquals(cpu.perplexity(), gpu.perplexity(), 1e-4 * cpu.perplexity(), "PPL");
    }
}
