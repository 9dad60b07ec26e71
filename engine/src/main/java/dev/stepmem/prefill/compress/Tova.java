package dev.stepmem.prefill.compress;

/**
 * TOVA, token omission via attention (Oren et al., "Transformers are Multi-State RNNs", 2024):
 * when the cache is full, drop the token the last query attends to least, its attention averaged
 * over all heads of the layer, so every head keeps the same tokens.
 *
 * <p>Inside chunked prefill (interpretation): the original drops one token per decoding step; here
 * the chunk's last query row stands for "the last query" and the top-keep candidates by its
 * attention, summed over all query heads (the same ranking as the mean), are kept at once, the same
 * for every KV head. No recent window, as in the original.
 */
public final class Tova implements Compressor {
    public static final String NAME = "tova";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsScores() {
        return true;
    }

    /** The chunk's last query row. */
    @Override
    public int windowRows(int chunkCandidates, int nCandidates, int configuredChunk) {
        Windows.checkArgs(chunkCandidates, nCandidates, configuredChunk);
        return 1;
    }

    @Override
    public int[][] select(Selection s) {
        if (s.keepsAll()) {
            return s.allIndices();
        }
        s.requireScores(NAME);
        return Indices.sameForEveryHead(s.nKvHeads(), TopK.ascending(HeadSums.allHeads(s), 0, s.nCandidates(), s.keep()));
    }

    @Override
    public String toString() {
        return NAME;
    }
}
