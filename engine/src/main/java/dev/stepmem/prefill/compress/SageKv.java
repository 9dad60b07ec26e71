package dev.stepmem.prefill.compress;

/**
 * SAGE-KV-style one-shot top-k (Wang et al., "LLMs Know What to Drop: Self-Attention Guided KV
 * Cache Eviction for Efficient Long-Context Inference", 2025): after the prefill, one top-k
 * selection from the last token's attention, keeping the sinks and a recent window; head-level
 * (each KV head its own tokens) or token-level (one set of tokens for all heads).
 *
 * <p>Inside chunked prefill (interpretation): "one-shot" cannot mean once per run when memory is
 * bounded at every step, so the selection runs after every chunk, but each time from one query row
 * only, the chunk's last (standing in for the last prompt token), with no pooling and no
 * accumulation across steps. The recent window is {@link #RECENT} candidates (SnapKV's default
 * window; the paper's exact size is a setting), at most keep / 2. Head-level: scores summed over
 * each KV head's group of query heads; token-level ({@code sage-kv-token}): summed over all heads,
 * the same indices for every KV head.
 */
public final class SageKv implements Compressor {
    public static final String NAME = "sage-kv";
    public static final String NAME_TOKEN_LEVEL = "sage-kv-token";
    /** Most recent candidates always kept (capped at keep / 2). */
    public static final int RECENT = 32;

    private final boolean tokenLevel;

    /** @param tokenLevel one set of tokens for all KV heads (else each KV head picks its own) */
    public SageKv(boolean tokenLevel) {
        this.tokenLevel = tokenLevel;
    }

    @Override
    public String name() {
        return tokenLevel ? NAME_TOKEN_LEVEL : NAME;
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
        s.requireScores(name());
        int n = s.nCandidates();
        int recent = Math.min(RECENT, s.keep() / 2);
        if (tokenLevel) {
            return Indices.sameForEveryHead(s.nKvHeads(), RecentAndTop.select(HeadSums.allHeads(s), n, s.keep(), recent));
        }
        double[][] grouped = GqaGrouping.CONTIGUOUS.sumGroups(s.windowScores(), s.nKvHeads());
        int[][] kept = new int[s.nKvHeads()][];
        for (int g = 0; g < kept.length; g++) {
            kept[g] = RecentAndTop.select(grouped[g], n, s.keep(), recent);
        }
        return kept;
    }

    @Override
    public String toString() {
        return name();
    }
}
