package dev.stepmem.prefill.compress;

/**
 * Which query rows SnapKV's observation window sums ({@link SnapKv}). The two rules agree for a
 * chunk of at least c candidates (the window is then its last c rows); they differ for a chunk
 * shorter than c: IMDC's decreasing tail, or a final remainder chunk.
 */
public enum ObservationWindow {
    /**
     * The reference code's: the last c rows of its eager map, which has a row for every position
     * of [sinks | memory | chunk], the sink and memory rows with zero queries (each attends
     * uniformly over its causal prefix). So a chunk of s < c candidates is scored by its s rows
     * and the last c - s memory rows, and the divisors are c-based: w = min(c, nCandidates)
     * ({@code chunk_size = min(self.chunk_size, attention.shape[-1])} in ConvPruner). The default.
     */
    REFERENCE {
        @Override
        int rows(int chunkCandidates, int nCandidates, int configuredChunk) {
            return Math.min(configuredChunk, nCandidates);
        }
    },
    /**
     * Ours, offered as a variant: only the chunk's own rows observe, w = min(c, chunk), so every
     * divisor is the number of real queries that see the key; the zero-query memory rows of the
     * reference's map are treated as an artifact of its padding, not as observations.
     */
    CHUNK_ONLY {
        @Override
        int rows(int chunkCandidates, int nCandidates, int configuredChunk) {
            return Math.min(configuredChunk, chunkCandidates);
        }
    };

    abstract int rows(int chunkCandidates, int nCandidates, int configuredChunk);
}
