package dev.stepmem.prefill.compress;

/** Window scores summed over every query head, for the layer-level rules (TOVA, token-level SAGE-KV). */
final class HeadSums {
    private HeadSums() {}

    /** [nCandidates]: per candidate the sum over all query heads of {@link Selection#windowScores()}, in double. */
    static double[] allHeads(Selection s) {
        double[] score = new double[s.nCandidates()];
        for (float[] head : s.windowScores()) {
            for (int i = 0; i < score.length; i++) {
                score[i] += head[i];
            }
        }
        return score;
    }
}
