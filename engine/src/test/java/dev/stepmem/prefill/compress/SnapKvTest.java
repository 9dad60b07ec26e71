package dev.stepmem.prefill.compress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SnapKV, reference variant (METHOD.md §4), against hand-computed expectations. */
class SnapKvTest {
    static final SnapKv SNAPKV = new SnapKv();

    /*
     * 10 candidates (4 memory + 6 chunk), window w = 3 (candidates 7, 8, 9), 2 query heads, 1 KV head.
     *   head 0        = [0, .75, 0, 0, .5, 0, .5,  0, .25, .25]
     *   head 1        = [0, .25, 0, 0, 0,  0, 1.5, 0, .75, 0  ]
     *   s (group sum) = [0, 1,   0, 0, .5, 0, 2,   0, 1,   .25]
     * avg_pool1d, kernel 5, zero padding 2, divisor 5: window sums S_i = s[i-2] + ... + s[i+2]
     *   S = [1, 1, 1.5, 1.5, 2.5, 2.5, 3.5, 3.25, 3.25, 1.25]    (S_7 = s5..s9 = 0+2+0+1+.25)
     *   pooled = S / 5 = [.2, .2, .3, .3, .5, .5, .7, .65, .65, .25]
     * visibility divisor: w = 3 for candidates 0..6 and the first window key 7 (j = 0), 2 for 8, 1 for 9
     *   score = [.0667, .0667, .1, .1, .1667, .1667, .2333, .2167, .325, .25]
     * ranking: 8 (.325), 9 (.25), 6 (.2333), 7 (.2167), 4 = 5 (.1667), 2 = 3 (.1), 0 = 1 (.0667)
     */
    static final float[][] TEN = {
            {0f, .75f, 0f, 0f, .5f, 0f, .5f, 0f, .25f, .25f},
            {0f, .25f, 0f, 0f, 0f, 0f, 1.5f, 0f, .75f, 0f}};

    static Selection ten(int keep) {
        return new Selection(10, 4, keep, 2, 1, TEN, 3);
    }

    @Test
    void poolsThenNormalizesThenTakesTopK() {
        assertArrayEquals(new int[][] {{8}}, SNAPKV.select(ten(1)));
        assertArrayEquals(new int[][] {{8, 9}}, SNAPKV.select(ten(2)));
        // Normalizing BEFORE pooling would give [6, 7, 8] (s/div = [0,1/3,0,0,1/6,0,2/3,0,1/2,1/4]; pooled
        // 7 and 8 = (2/3+1/2+1/4)/5 = .2833 > 6 = (1/6+2/3+1/2)/5 = .2667 > 9 = (3/4)/5 = .15), and no pooling at
        // all [1, 6, 8]: the expected [6, 8, 9] pins the order of METHOD.md §4 steps 3 and 4.
        assertArrayEquals(new int[][] {{6, 8, 9}}, SNAPKV.select(ten(3)));
        assertArrayEquals(new int[][] {{6, 7, 8, 9}}, SNAPKV.select(ten(4)));
        // 4 and 5 tie exactly (S = 2.5 both): the earlier index wins.
        assertArrayEquals(new int[][] {{4, 6, 7, 8, 9}}, SNAPKV.select(ten(5)));
        assertArrayEquals(new int[][] {{2, 4, 5, 6, 7, 8, 9}}, SNAPKV.select(ten(7)));
    }

    /*
     * GQA: 4 query heads, 2 KV heads, groups {0, 1} -> KV 0 and {2, 3} -> KV 1 (h / 2).
     * 8 candidates (3 memory + 5 chunk), w = 2 (candidates 6, 7): divisor 2 for 0..6, 1 for 7. keep = 3.
     *   KV 0: s = h0 + h1 = [1,0,0,0,0,0,0,0] + [.5,.5,0,0,0,0,0,0] = [1.5,.5,0,0,0,0,0,0]
     *         S = [2, 2, 2, .5, 0, 0, 0, 0]; score = S/5/div = [.2, .2, .2, .05, 0, 0, 0, 0]   -> [0, 1, 2]
     *   KV 1: s = h2 + h3 = [0,0,0,0,0,1,0,0] + [0,0,0,0,0,0,0,.5] = [0,0,0,0,0,1,0,.5]
     *         S = [0, 0, 0, 1, 1, 1.5, 1.5, 1.5]; score = [0, 0, 0, .1, .1, .15, .15, .3]     -> [5, 6, 7]
     */
    static final float[][] GQA = {
            {1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f},
            {.5f, .5f, 0f, 0f, 0f, 0f, 0f, 0f},
            {0f, 0f, 0f, 0f, 0f, 1f, 0f, 0f},
            {0f, 0f, 0f, 0f, 0f, 0f, 0f, .5f}};

    @Test
    void eachKvHeadSumsItsOwnGroupAndKeepsDifferentTokens() {
        SnapKv contiguous = new SnapKv(GqaGrouping.CONTIGUOUS);
        assertEquals("snapkv-contiguous-gqa", contiguous.name());
        assertArrayEquals(new int[][] {{0, 1, 2}, {5, 6, 7}}, contiguous.select(new Selection(8, 3, 3, 4, 2, GQA, 2)));
    }

    /*
     * The reference pruner's literal grouping (h % 2): KV 0 = heads {0, 2}, KV 1 = heads {1, 3}.
     *   KV 0: s = [1,0,0,0,0,1,0,0]; S = [1,1,1,1,1,1,1,1]; score = [.1 x7, .2]       -> 7, then 0, 1 (ties)
     *   KV 1: s = [.5,.5,0,0,0,0,0,.5]; S = [1,1,1,.5,0,.5,.5,.5];
     *         score = [.1,.1,.1,.05,0,.05,.05,.1]: 0, 1, 2, 7 tie (1/5/2 and .5/5/1 are the same double) -> [0,1,2]
     */
    @Test
    void theDefaultsStridedGroupingReproducesTheReferencePrunersView() {
        SnapKv strided = SNAPKV;
        assertEquals(GqaGrouping.STRIDED, strided.grouping());
        assertEquals("snapkv", strided.name());
        assertArrayEquals(new int[][] {{0, 1, 7}, {0, 1, 2}}, strided.select(new Selection(8, 3, 3, 4, 2, GQA, 2)));
    }

    /*
     * Ties: 6 candidates, all scores 1, w = 1 (divisor 1 everywhere).
     * S = [3, 4, 5, 5, 4, 3] (zero padding at both ends), score = S/5 = [.6, .8, 1, 1, .8, .6].
     */
    @Test
    void tiesGoToTheEarlierIndex() {
        float[][] flat = {{1f, 1f, 1f, 1f, 1f, 1f}};
        assertArrayEquals(new int[][] {{2}}, SNAPKV.select(new Selection(6, 0, 1, 1, 1, flat, 1)));
        assertArrayEquals(new int[][] {{1, 2, 3}}, SNAPKV.select(new Selection(6, 0, 3, 1, 1, flat, 1)));
        assertArrayEquals(new int[][] {{0, 1, 2, 3, 4}}, SNAPKV.select(new Selection(6, 0, 5, 1, 1, flat, 1)));
        float[][] zeros = {new float[6]};
        assertArrayEquals(new int[][] {{0, 1}}, SNAPKV.select(new Selection(6, 0, 2, 1, 1, zeros, 1)));
    }

    @Test
    void keepAtLeastCandidatesKeepsAllEvenWithoutScores() {
        int[][] all = {{0, 1, 2, 3, 4, 5, 6, 7}, {0, 1, 2, 3, 4, 5, 6, 7}};
        assertArrayEquals(all, SNAPKV.select(new Selection(8, 3, 8, 4, 2, GQA, 2)));
        assertArrayEquals(all, SNAPKV.select(new Selection(8, 3, 100, 4, 2, null, 0)));
        assertArrayEquals(new int[][] {{}, {}}, SNAPKV.select(new Selection(8, 3, 0, 4, 2, GQA, 2)));
    }

    @Test
    void windowIsTheConfiguredChunkCappedByTheCandidates() {
        assertEquals(1024, SNAPKV.windowRows(1024, 2048, 1024));
        assertEquals(1024, SNAPKV.windowRows(1536, 2560, 1024)); // IMDC: a longer chunk, the last c rows
        assertEquals(1024, SNAPKV.windowRows(512, 1536, 1024)); // a shorter chunk: c rows reaching into the memory
        assertEquals(700, SNAPKV.windowRows(512, 700, 1024)); // fewer candidates than c: all of them
        assertTrue(SNAPKV.needsScores());
        assertThrows(IllegalArgumentException.class, () -> SNAPKV.windowRows(0, 10, 1024));
        assertThrows(IllegalArgumentException.class, () -> SNAPKV.windowRows(10, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> SNAPKV.windowRows(10, 9, 1024));
    }

    @Test
    void theChunkWindowVariantObservesWithTheChunkOnly() {
        Compressor chunkOnly = Compressors.parse("snapkv-chunk-window");
        assertEquals("snapkv-chunk-window", chunkOnly.name());
        assertEquals(1024, chunkOnly.windowRows(1536, 2560, 1024));
        assertEquals(512, chunkOnly.windowRows(512, 1536, 1024)); // a shorter chunk: its own rows only
    }

    @Test
    void missingScoresAreReportedByName() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SNAPKV.select(new Selection(8, 3, 3, 4, 2, null, 2)));
        assertTrue(e.getMessage().contains("snapkv needs windowScores"), e.getMessage());
    }
}
