package dev.stepmem.prefill.compress;

/**
 * StreamingLLM (METHOD.md §4): keep the most recent {@code keep} candidates, i.e. the last
 * {@code keep} indices of [memory ∪ chunk], the same for every KV head (the sinks are kept by the
 * loop). Needs no attention scores, so the loop can use flash-style attention.
 */
public final class StreamingLlm implements Compressor {
    public static final String NAME = "streamingllm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsScores() {
        return false;
    }

    /** No window: 0. The arguments are still checked so a loop bug shows up the same for every compressor. */
    @Override
    public int windowRows(int chunkCandidates, int nCandidates, int configuredChunk) {
        Windows.checkArgs(chunkCandidates, nCandidates, configuredChunk);
        return 0;
    }

    @Override
    public int[][] select(Selection s) {
        if (s.keepsAll()) {
            return s.allIndices();
        }
        return Indices.sameForEveryHead(s.nKvHeads(), Indices.range(s.nCandidates() - s.keep(), s.nCandidates()));
    }

    @Override
    public String toString() {
        return NAME;
    }
}
