package dev.stepmem.prefill.compress;

/** Argument checks for {@link Compressor#windowRows}. */
final class Windows {
    private Windows() {}

    static void checkArgs(int chunkCandidates, int nCandidates, int configuredChunk) {
        if (chunkCandidates < 1) {
            throw new IllegalArgumentException("chunkCandidates must be >= 1, got " + chunkCandidates);
        }
        if (nCandidates < chunkCandidates) {
            throw new IllegalArgumentException("nCandidates (" + nCandidates + ") must be >= chunkCandidates ("
                    + chunkCandidates + "): the chunk's candidates are among them");
        }
        if (configuredChunk < 1) {
            throw new IllegalArgumentException("configuredChunk (c) must be >= 1, got " + configuredChunk);
        }
    }
}
