package dev.stepmem.datasets.manifest;

/**
 * How a domain was cut into documents.
 *
 * @param minTokens  every standard document has at least this many tokens under every tokenizer
 * @param documents  how many standard documents were asked for
 * @param longTokens the long document's minimum under every tokenizer (0: none asked for)
 * @param separator  the header put before each file, with PATH standing for its path
 */
public record BuildSettings(int minTokens, int documents, int longTokens, String separator) {
    public BuildSettings {
        if (minTokens < 1) {
            throw new IllegalArgumentException("--tokens must be at least 1, got " + minTokens);
        }
        if (documents < 1) {
            throw new IllegalArgumentException("--docs must be at least 1, got " + documents);
        }
        if (longTokens < 0) {
            throw new IllegalArgumentException("--long-tokens must be 0 (none) or positive, got " + longTokens);
        }
    }
}
