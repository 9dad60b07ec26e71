package dev.stepmem.prefill.compress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

class StreamingLlmTest {
    static final StreamingLlm S = new StreamingLlm();

    @Test
    void keepsExactlyTheLastKeepForEveryKvHead() {
        int[][] kept = S.select(Selection.withoutScores(10, 6, 4, 6, 3));
        assertArrayEquals(new int[][] {{6, 7, 8, 9}, {6, 7, 8, 9}, {6, 7, 8, 9}}, kept);
        assertNotSame(kept[0], kept[1]); // callers may modify rows independently
        assertArrayEquals(new int[][] {{9}}, S.select(Selection.withoutScores(10, 6, 1, 1, 1)));
        // memory can be evicted entirely: keep 3 < chunk 4 keeps chunk tokens only
        assertArrayEquals(new int[][] {{7, 8, 9}}, S.select(Selection.withoutScores(10, 6, 3, 1, 1)));
    }

    @Test
    void edgeBudgets() {
        assertArrayEquals(new int[][] {{}, {}}, S.select(Selection.withoutScores(10, 6, 0, 2, 2)));
        int[] all = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertArrayEquals(new int[][] {all, all}, S.select(Selection.withoutScores(10, 6, 10, 2, 2)));
        assertArrayEquals(new int[][] {all, all}, S.select(Selection.withoutScores(10, 6, 25, 2, 2)));
        assertArrayEquals(new int[][] {{}}, S.select(Selection.withoutScores(0, 0, 5, 1, 1)));
    }

    @Test
    void ignoresScoresAndNeedsNone() {
        float[][] scores = {{9f, 9f, 9f, 0f, 0f}};
        assertArrayEquals(new int[][] {{3, 4}}, S.select(new Selection(5, 2, 2, 1, 1, scores, 3)));
        assertFalse(S.needsScores());
        assertEquals(0, S.windowRows(1024, 1024, 1024));
        assertEquals("streamingllm", S.name());
    }
}
