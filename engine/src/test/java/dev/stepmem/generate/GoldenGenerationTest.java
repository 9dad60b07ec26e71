package dev.stepmem.generate;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.model.LlamaModel;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.Llama2cLoader;
import dev.stepmem.tokenizer.Llama2cTokenizer;
import dev.stepmem.tokenizer.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** stories15M greedy from "Once upon a time" must tell the story llama2.c tells (ASSETS.md). */
class GoldenGenerationTest {
    private static ModelWeights weights;
    private static Tokenizer tokenizer;

    @BeforeAll
    static void load() {
        weights = Llama2cLoader.load(Stories15m.ensureModel());
        tokenizer = Llama2cTokenizer.load(Stories15m.ensureTokenizer(), weights.config().vocabSize());
    }

    @AfterAll
    static void close() {
        weights.close();
    }

    @Test
    void greedyContinuesWithTheKnownStory() {
        try (LlamaModel model = new LlamaModel(weights, new CpuBackend(), 256, 256)) {
            StringBuilder streamed = new StringBuilder();
            Generator.Result r = new Generator(model, tokenizer).generate("Once upon a time", 60, Sampler.greedy(),
                    streamed::append);
            String text = r.text();
            assertTrue(text.startsWith(", there was a little girl named Lily. She loved to play outside in the sunshine."),
                    "got: " + text);
            assertTrue(streamed.toString().equals(text), "streamed pieces add up to the text");
        }
    }

    @Test
    void sampledGenerationIsDeterministicForASeed() {
        try (LlamaModel model = new LlamaModel(weights, new CpuBackend(), 256, 256)) {
            Generator g = new Generator(model, tokenizer);
            String a = g.generate("Once upon a time", 40, new Sampler(0.9f, 0.9f, 123), s -> { }).text();
            String b = g.generate("Once upon a time", 40, new Sampler(0.9f, 0.9f, 123), s -> { }).text();
            assertTrue(a.equals(b) && !a.isBlank(), "same seed, same text: " + a + " | " + b);
        }
    }

    @Test
    void emptyPromptIsRejectedClearly() {
        try (LlamaModel model = new LlamaModel(weights, new CpuBackend(), 256, 256)) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new Generator(model, tokenizer).generate("  ", 20, Sampler.greedy(), s -> { }));
            assertTrue(e.getMessage().contains("prompt is empty"), e.getMessage());
        }
    }
}
