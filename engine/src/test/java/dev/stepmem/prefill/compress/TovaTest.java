package dev.stepmem.prefill.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** TOVA on a hand-built last row: attention summed over all heads, one set of tokens for every KV head. */
class TovaTest {
    @Test
    void keepsTheTopOfTheLastRowSummedOverAllHeads() {
        assertEquals(1, new Tova().windowRows(17, 40, 32), "the chunk's last query row");
        // Two KV heads of one query head each. Sums [0.5, 0.5, 0.125, 0.5, 0.25]: the three 0.5 tie,
        // the earlier two win. Head 1 alone would keep {3, 0}; TOVA keeps {0, 1} in both.
        Selection s = new Selection(5, 2, 2, 2, 2, new float[][] {
                {0.25f, 0.5f, 0f, 0.125f, 0f},
                {0.25f, 0f, 0.125f, 0.375f, 0.25f}}, 1);
        int[][] kept = new Tova().select(s);
        assertArrayEquals(new int[] {0, 1}, kept[0]);
        assertArrayEquals(new int[] {0, 1}, kept[1]);
    }
}
