package dev.stepmem.quality;

/**
 * One passkey prompt.
 *
 * @param tokens  the prompt, exactly the requested length, BOS first, the question last
 * @param key     the digits to find, e.g. "40712"
 * @param depth   the requested depth in [0, 1] (0: right after the instruction, 1: right before the question)
 * @param keyFrom the token position where the key's piece (the key, then the needle's end) starts
 */
public record PasskeyPrompt(int[] tokens, String key, double depth, int keyFrom) {
    public PasskeyPrompt {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    public int length() {
        return tokens.length;
    }
}
