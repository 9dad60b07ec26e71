package dev.stepmem.prefill.compress;

/** The "recent window + heavy hitters" rule shared by H2O, Scissorhands and SAGE-KV. */
final class RecentAndTop {
    private RecentAndTop() {}

    /**
     * The last min(recent, keep) of the n candidates, plus the top-(keep - that) of the others by
     * score (ties to the earlier index), ascending. Needs keep < n.
     */
    static int[] select(double[] score, int n, int keep, int recent) {
        int r = Math.min(recent, keep);
        int[] top = TopK.ascending(score, 0, n - r, keep - r);
        int[] row = new int[keep];
        System.arraycopy(top, 0, row, 0, top.length);
        for (int j = 0; j < r; j++) {
            row[top.length + j] = n - r + j;
        }
        return row;
    }
}
