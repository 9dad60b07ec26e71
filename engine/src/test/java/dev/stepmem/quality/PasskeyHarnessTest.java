package dev.stepmem.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.generate.Sampler;
import dev.stepmem.model.KvCache;
import dev.stepmem.model.LlamaModel;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.Llama2cLoader;
import dev.stepmem.prefill.ChunkedPrefill;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillResult;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.tokenizer.Llama2cTokenizer;
import dev.stepmem.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The harness is not the limit: a stub reader that copies from what the chunked prefill RETAINED
 * (the sinks and the last layer's memory rows, by their input positions) finds every key the memory
 * kept and none it evicted. And decoding from the memory, when nothing was evicted, is plain greedy
 * decoding over the whole prompt.
 */
class PasskeyHarnessTest {
    static ModelWeights weights;
    static Tokenizer tok;

    @BeforeAll
    static void load() {
        weights = Llama2cLoader.load(Stories15m.ensureModel());
        tok = Llama2cTokenizer.load(Stories15m.ensureTokenizer(), 32000);
    }

    @AfterAll
    static void close() {
        weights.close();
    }

    /**
     * Reads the retained tokens (4 sinks, then the last layer's first KV head's memory in stored
     * order), finds the needle's words before the key, and copies what follows.
     */
    static Answerer copyingFromMemory(IntFunction<PrefillSettings> settingsFor) {
        int[] marker = tok.encode(PasskeyPrompts.NEEDLE_BEFORE_KEY, false, false);
        return (prompt, maxNew) -> {
            PrefillResult r = ChunkedPrefill.run(weights, new CpuBackend(), settingsFor.apply(prompt.length), prompt, null);
            int[] origins = r.memoryOrigins()[weights.config().nLayers() - 1][0];
            int[] retained = new int[PrefillSettings.SINKS + origins.length];
            for (int i = 0; i < retained.length; i++) {
                retained[i] = prompt[i < PrefillSettings.SINKS ? i : origins[i - PrefillSettings.SINKS]];
            }
            for (int at = 0; at + marker.length <= retained.length; at++) {
                if (Arrays.equals(retained, at, at + marker.length, marker, 0, marker.length)) {
                    int from = at + marker.length;
                    return Arrays.copyOfRange(retained, from, Math.min(retained.length, from + maxNew));
                }
            }
            return new int[0];
        };
    }

    @Test
    void aCopyingReaderFindsEveryKeyWhenNothingIsEvicted() {
        Answerer reader = copyingFromMemory(l -> new PrefillSettings(Method.FM, "linear", Compressors.parse("snapkv"),
                l, 128, l));
        List<PasskeyGrid.Cell> cells = PasskeyGrid.run(tok, reader, new int[] {256, 512}, new double[] {0, 0.5, 1}, 2, 1, null);
        assertEquals(6, cells.size());
        assertEquals(1.0, PasskeyGrid.accuracy(cells), cells.toString());
    }

    @Test
    void aCopyingReaderFindsTheKeyOnlyWhereTheMemoryKeptIt() {
        // StreamingLLM, FM, m_max = 64: the memory is the last 64 tokens. The needle right before the
        // question (depth 1) is among them; at depth 0 and 0.5 it was evicted.
        Answerer reader = copyingFromMemory(l -> new PrefillSettings(Method.FM, "linear",
                Compressors.parse("streamingllm"), l, 64, 64));
        List<PasskeyGrid.Cell> cells = PasskeyGrid.run(tok, reader, new int[] {512}, new double[] {0, 0.5, 1}, 2, 3, null);
        assertEquals(List.of(0, 0, 2), cells.stream().map(PasskeyGrid.Cell::correct).toList(), cells.toString());
    }

    @Test
    void decodingFromAnUnevictedMemoryIsPlainGreedyDecoding() {
        int[] prompt = PasskeyPrompts.build(tok, 200, 0.5, 2).tokens();
        int n = 6;
        // Reference: one causal pass over the prompt, then one token at a time with the whole cache.
        int[] expected = new int[n];
        try (LlamaModel m = new LlamaModel(weights, new CpuBackend(), prompt.length, prompt.length + n);
             KvCache cache = m.newCache()) {
            m.forward(prompt, cache, false);
            for (int i = 0; i < n; i++) {
                expected[i] = Sampler.argmax(m.logitsRow(0));
                m.forward(new int[] {expected[i]}, cache, false);
            }
        }
        for (Method method : Method.values()) {
            PrefillSettings s = new PrefillSettings(method, "linear", Compressors.parse("h2o"), 200,
                    method == Method.IMDC ? 130 : 64, 1024);
            int[] got = ChunkedPrefill.decodeGreedy(weights, new CpuBackend(), s, prompt, n, t -> false).generated();
            assertArrayEquals(expected, got, s.toString());
        }
    }
}
