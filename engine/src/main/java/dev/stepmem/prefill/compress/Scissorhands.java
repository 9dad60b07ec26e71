package dev.stepmem.prefill.compress;

/**
 * Scissorhands (Liu et al., "Scissorhands: Exploiting the Persistence of Importance Hypothesis for
 * LLM KV Cache Compression at Test Time", NeurIPS 2023): tokens that were pivotal (received more
 * than average attention) within a history window will be pivotal again; the cache keeps the
 * tokens pivotal most often in that window, plus a window of the most recent tokens.
 *
 * <p>Inside chunked prefill (interpretation): the history window is the last {@link #HISTORY}
 * chunk steps rather than the last w decoding queries. At each step, a candidate is pivotal for a
 * KV head when the mean probability it gets from the chunk's query rows (all of them) and the
 * group's query heads is at least the uniform share 1 / nCandidates (the paper's "above average"
 * threshold). The {@link History} holds one 0/1 channel per step of the window (channel 0 = this
 * step). Score = 2 x (pivotal steps in the window) + this step's mean probability, so the count
 * decides and the current attention only breaks its ties. Of the keep slots, keep / 2 hold the
 * most recent candidates (as for {@link H2o}); the rest the highest scores among the others.
 */
public final class Scissorhands implements Compressor {
    public static final String NAME = "scissorhands";
    /** Chunk steps in the history window. */
    public static final int HISTORY = 4;

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
        return new History(nKvHeads, HISTORY);
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
        double[][] sums = GqaGrouping.CONTIGUOUS.sumGroups(s.windowScores(), s.nKvHeads());
        double perRow = (double) s.windowRows() * s.groupSize();
        double uniform = 1.0 / n;
        double[][][] events = new double[s.nKvHeads()][HISTORY][n];
        int[][] kept = new int[s.nKvHeads()][];
        for (int g = 0; g < kept.length; g++) {
            double[] score = new double[n];
            for (int i = 0; i < n; i++) {
                double mean = sums[g][i] / perRow;
                events[g][0][i] = mean >= uniform ? 1 : 0;
                score[i] = mean;
            }
            for (int ch = 1; history != null && ch < HISTORY; ch++) {
                System.arraycopy(history.get(g, ch - 1), 0, events[g][ch], 0, s.nMemory()); // one step older
            }
            for (int ch = 0; ch < HISTORY; ch++) {
                for (int i = 0; i < n; i++) {
                    score[i] += 2 * events[g][ch][i];
                }
            }
            kept[g] = s.keepsAll() ? Indices.range(0, n) : RecentAndTop.select(score, n, s.keep(), s.keep() / 2);
        }
        if (history != null) {
            history.keep(events, kept);
        }
        return kept;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
