package dev.stepmem.prefill.compress;

/** Small helpers building index rows. */
final class Indices {
    private Indices() {}

    /** [from, from + 1, ..., to - 1]. */
    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** The same row for every KV head, each a separate array so callers can modify them freely. */
    static int[][] sameForEveryHead(int nKvHeads, int[] row) {
        int[][] rows = new int[nKvHeads][];
        for (int k = 0; k < nKvHeads; k++) {
            rows[k] = row.clone();
        }
        return rows;
    }
}
