package dev.stepmem.prefill.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** SAGE-KV-style top-k on a hand-built last row: recent window plus top-k, head- or token-level. */
class SageKvTest {
    /** 40 candidates, two KV heads of one query head; head 0 peaks at 5 and 10, head 1 at 3 and 7. */
    static Selection lastRow() {
        float[] h0 = new float[40], h1 = new float[40];
        h0[5] = 0.5f;
        h0[10] = 0.25f;
        h1[3] = 0.375f;
        h1[7] = 0.125f;
        return new Selection(40, 20, 4, 2, 2, new float[][] {h0, h1}, 1);
    }

    @Test
    void headLevelEachKvHeadKeepsItsOwnPeaksAndTheRecentWindow() {
        // keep 4: recent min(32, 4 / 2) = 2 = {38, 39}, then each head's top 2 of [0, 38).
        int[][] kept = new SageKv(false).select(lastRow());
        assertArrayEquals(new int[] {5, 10, 38, 39}, kept[0]);
        assertArrayEquals(new int[] {3, 7, 38, 39}, kept[1]);
    }

    @Test
    void tokenLevelAllHeadsKeepTheSameTokens() {
        // Summed over heads: 5 (0.5), 3 (0.375), 10 (0.25), 7 (0.125): the top 2 are 3 and 5.
        int[][] kept = new SageKv(true).select(lastRow());
        assertArrayEquals(new int[] {3, 5, 38, 39}, kept[0]);
        assertArrayEquals(new int[] {3, 5, 38, 39}, kept[1]);
    }
}
