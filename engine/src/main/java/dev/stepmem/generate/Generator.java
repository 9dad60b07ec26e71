package dev.stepmem.generate;

import dev.stepmem.model.KvCache;
import dev.stepmem.model.LlamaModel;
import dev.stepmem.tokenizer.StreamDecoder;
import dev.stepmem.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Text generation: the prompt is prefilled in chunks of up to the model's maxChunk tokens, then
 * one token per forward until maxTokens positions, or the model emits BOS/EOS (llama2.c stops
 * on BOS, which stories15M emits between stories).
 */
public final class Generator {
    private final LlamaModel model;
    private final Tokenizer tokenizer;

    /** Outcome of one generation, with the timings of its two phases. */
    public record Result(int[] promptTokens, int[] generated, String text, long prefillNanos, long decodeNanos) {
        public double prefillTokensPerSecond() {
            return promptTokens.length / (prefillNanos / 1e9);
        }

        public double decodeTokensPerSecond() {
            return generated.length <= 1 ? Double.NaN : (generated.length - 1) / (decodeNanos / 1e9);
        }
    }

    public Generator(LlamaModel model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /**
     * @param maxTokens most positions in total (prompt + generated), at most the model's maxContext
     * @param onPiece   receives each generated piece of text as it is produced
     */
    public Result generate(String prompt, int maxTokens, Sampler sampler, Consumer<String> onPiece) {
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("the prompt is empty: give some text to continue, e.g. --prompt \"Once upon a time\"");
        }
        int[] promptIds = tokenizer.encode(prompt, true, false);
        if (maxTokens > model.maxContext()) {
            throw new IllegalArgumentException("--steps " + maxTokens + " exceeds the context of "
                    + model.maxContext() + " positions this model was set up with");
        }
        if (promptIds.length >= maxTokens) {
            throw new IllegalArgumentException("the prompt is " + promptIds.length + " tokens, which leaves no room to generate within "
                    + maxTokens + " positions; raise --steps");
        }
        try (KvCache cache = model.newCache()) {
            long start = System.nanoTime();
            for (int from = 0; from < promptIds.length; from += model.maxChunk()) {
                int[] chunk = Arrays.copyOfRange(promptIds, from, Math.min(promptIds.length, from + model.maxChunk()));
                model.forward(chunk, cache, false);
            }
            long prefillEnd = System.nanoTime();
            int[] generated = new int[maxTokens - promptIds.length];
            int n = 0;
            StreamDecoder decoder = new StreamDecoder(tokenizer, promptIds[promptIds.length - 1]);
            StringBuilder text = new StringBuilder();
            while (cache.length() < maxTokens) {
                int next = sampler.sample(model.logitsRow(0));
                if (next == tokenizer.bos() || next == tokenizer.eos()) {
                    break;
                }
                generated[n++] = next;
                emit(decoder.next(next), text, onPiece);
                if (cache.length() == maxTokens) {
                    break;
                }
                model.forward(new int[] {next}, cache, false);
            }
            emit(decoder.finish(), text, onPiece);
            long end = System.nanoTime();
            return new Result(promptIds, Arrays.copyOf(generated, n), text.toString(), prefillEnd - start, end - prefillEnd);
        }
    }

    private static void emit(String piece, StringBuilder text, Consumer<String> onPiece) {
        if (!piece.isEmpty()) {
            text.append(piece);
            onPiece.accept(piece);
        }
    }
}
