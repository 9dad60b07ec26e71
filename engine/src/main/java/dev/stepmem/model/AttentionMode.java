package dev.stepmem.model;

import java.util.Locale;

/**
 * How a forward computes attention (METHOD.md §8, a sweep parameter). Both give the same chunk
 * outputs; they differ in time and memory.
 */
public enum AttentionMode {
    /**
     * Streaming softmax over key tiles for the chunk's query rows only; nothing of size T x S is
     * kept, and SnapKV computes just its window's scores afterwards. What an efficient engine does
     * (the paper's StreamingLLM runs used FlashAttention-2).
     */
    FLASH,
    /**
     * The paper's SnapKV conditions, as its reference code behaves: queries for all S = sinks +
     * memory + chunk rows (the sink and memory rows zero-padded), the probabilities [heads, S, S]
     * materialized per layer, multiplied by V for all S rows, and every layer's map kept until
     * the step's compression, which reads SnapKV's window sums from them.
     */
    EAGER;

    public static AttentionMode parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown attention mode '" + name + "' (expected flash or eager)");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
