package dev.stepmem.prefill.compress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The original SnapKV variant, against hand-computed expectations. */
class SnapKvWindowTest {
    static final SnapKvWindow W3 = new SnapKvWindow(3);

    /*
     * 10 candidates (5 memory + 5 chunk), window 3 -> w = min(3, 5) = 3: candidates 7, 8, 9 always kept,
     * prefix = candidates 0..6. Two query heads, two KV heads (groups of one).
     *   head 0 = [0, 0, 1, .125, .25, .5, 2 | 9, 9, 9]  (window columns are ignored: they carry 9s to prove it)
     *   pooled over the prefix as its own sequence (zero padding after 6, NOT s7 = 9), sums S:
     *     S0 = 0+0+1 = 1, S1 = 1.125, S2 = 1.375, S3 = 0+1+.125+.25+.5 = 1.875, S4 = 1+.125+.25+.5+2 = 3.875,
     *     S5 = .125+.25+.5+2 = 2.875, S6 = .25+.5+2 = 2.75         (no visibility normalization)
     *   top-2 -> 4, 5; top-3 -> 4, 5, 6. Pooling over the whole axis would make S5 = 11.875, S6 = 20.75 instead.
     *   head 1 = [4, 0, 0, 0, 0, 0, 0 | 0, 0, 0]: S = [4, 4, 4, 0, 0, 0, 0]: ties -> 0, 1 (then 2)
     */
    static final float[][] SCORES = {
            {0f, 0f, 1f, .125f, .25f, .5f, 2f, 9f, 9f, 9f},
            {4f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f}};

    static Selection sel(int keep) {
        return new Selection(10, 5, keep, 2, 2, SCORES, 3);
    }

    @Test
    void topOfThePrefixThenTheWholeWindow() {
        assertArrayEquals(new int[][] {{4, 5, 7, 8, 9}, {0, 1, 7, 8, 9}}, W3.select(sel(5)));
        assertArrayEquals(new int[][] {{4, 5, 6, 7, 8, 9}, {0, 1, 2, 7, 8, 9}}, W3.select(sel(6)));
    }

    @Test
    void budgetNotAboveTheWindowKeepsTheLastWindowRows() {
        assertArrayEquals(new int[][] {{7, 8, 9}, {7, 8, 9}}, W3.select(sel(3)));
        assertArrayEquals(new int[][] {{8, 9}, {8, 9}}, W3.select(sel(2)));
        assertArrayEquals(new int[][] {{}, {}}, W3.select(sel(0)));
    }

    @Test
    void keepAtLeastCandidatesKeepsAll() {
        int[] all = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertArrayEquals(new int[][] {all, all}, W3.select(sel(10)));
        assertArrayEquals(new int[][] {all, all}, W3.select(sel(11)));
    }

    @Test
    void windowRowsAndNames() {
        assertEquals(3, W3.windowRows(5, 20, 1024));
        assertEquals(2, W3.windowRows(2, 20, 1024));
        SnapKvWindow def = new SnapKvWindow();
        assertEquals(32, def.windowRows(1024, 1024, 1024));
        assertEquals(32, def.windowRows(1024, 2048, 8));
        assertEquals("snapkv-window", def.name());
        assertEquals("snapkv-window:3", W3.name());
        assertThrows(IllegalArgumentException.class, () -> new SnapKvWindow(0));
    }

    @Test
    void windowRowsMustMatchTheVariantsWindow() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> W3.select(new Selection(10, 5, 5, 2, 2, SCORES, 4)));
        assertTrue(e.getMessage().contains("expects windowRows = min(3, chunk length 5) = 3, got 4"), e.getMessage());
    }
}
