package dev.stepmem.prefill.compress;

/**
 * H2O, the heavy-hitter oracle (Zhang et al., "H2O: Heavy-Hitter Oracle for Efficient Generative
 * Inference of Large Language Models", NeurIPS 2023): a token's importance is the attention it has
 * received, accumulated over every query so far; the cache keeps the heavy hitters plus a window
 * of the most recent tokens, half of the budget each (the paper's default split).
 *
 * <p>Inside chunked prefill (interpretation): the original evicts one token per decoding step;
 * here each step observes all of the chunk's query rows at once ({@link #windowRows} = the chunk
 * length), per KV head summed over its group of query heads. A memory row's score is its score
 * carried from earlier steps ({@link History}, one channel) plus this step's; a new chunk token
 * starts with this step's alone. Of the keep slots, keep / 2 hold the most recent candidates and
 * the rest the highest accumulated scores among the others. Rows leave the history with their
 * eviction; old tokens keep what earlier queries gave them (in the original they do too).
 * Without a history (the fixed-incremental ablation) only this step's scores count.
 */
public final class H2o implements Compressor {
    public static final String NAME = "h2o";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsScores() {
        return true;
    }

    /** Every query row of the chunk. */
    @Override
    public int windowRows(int chunkCandidates, int nCandidates, int configuredChunk) {
        Windows.checkArgs(chunkCandidates, nCandidates, configuredChunk);
        return chunkCandidates;
    }

    @Override
    public History newHistory(int nKvHeads) {
        return new History(nKvHeads, 1);
    }

    @Override
    public int[][] select(Selection s) {
        return select(s, StepContext.NONE);
    }

    @Override
    public int[][] select(Selection s, StepContext context) {
        s.requireScores(NAME);
        History history = History.of(context, s, NAME);
        int n = s.nCandidates();
        double[][] step = GqaGrouping.CONTIGUOUS.sumGroups(s.windowScores(), s.nKvHeads());
        double[][][] accumulated = new double[s.nKvHeads()][1][];
        int[][] kept = new int[s.nKvHeads()][];
        for (int g = 0; g < kept.length; g++) {
            double[] score = step[g];
            if (history != null) {
                double[] old = history.get(g, 0);
                for (int i = 0; i < s.nMemory(); i++) {
                    score[i] += old[i];
                }
            }
            accumulated[g][0] = score;
            kept[g] = s.keepsAll() ? Indices.range(0, n) : RecentAndTop.select(score, n, s.keep(), s.keep() / 2);
        }
        if (history != null) {
            history.keep(accumulated, kept);
        }
        return kept;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
