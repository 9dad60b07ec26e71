package dev.stepmem.prefill.compress;

/** Argument checks for {@link Compressor#windowRows}. */
final class Windows {
    private Windows() {}

    static void checkArgs(int chunkLength, int configuredChunk) {
        if (chunkLength < 1) {
            throw new IllegalArgumentException("chunkLength must be >= 1, got " + chunkLength);
        }
        if (configuredChunk < 1) {
            throw new IllegalArgumentException("configuredChunk (c) must be >= 1, got " + configuredChunk);
        }
    }
}
