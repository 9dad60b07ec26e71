package dev.stepmem.prefill.compress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invalid selections fail with messages that name the problem. */
class SelectionTest {

    static void fails(String expectedPart, Executable e) {
        var ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(expectedPart), () -> "message '" + ex.getMessage() + "' lacks '" + expectedPart + "'");
    }

    static float[][] scores(int heads, int n) {
        return new float[heads][n];
    }

    @Test
    void rejectsBadCounts() {
        fails("keep (memory target m_i) must be >= 0, got -1", () -> new Selection(10, 4, -1, 2, 1, scores(2, 10), 3));
        fails("nCandidates must be >= 0", () -> Selection.withoutScores(-1, 0, 0, 1, 1));
        fails("nMemory (old memory candidates) must be in [0, nCandidates = 10], got 11",
                () -> Selection.withoutScores(10, 11, 3, 1, 1));
        fails("nHeads and nKvHeads must be >= 1", () -> Selection.withoutScores(10, 4, 3, 0, 1));
        fails("nHeads (6) must be a multiple of nKvHeads (4)", () -> Selection.withoutScores(10, 4, 3, 6, 4));
    }

    @Test
    void rejectsMismatchedScores() {
        fails("windowScores must have nHeads = 2 rows", () -> new Selection(10, 4, 3, 2, 1, scores(3, 10), 3));
        fails("windowScores[1] must have nCandidates = 10 entries, got 9",
                () -> new Selection(10, 4, 3, 2, 1, new float[][] {new float[10], new float[9]}, 3));
        fails("windowScores[0] must have nCandidates = 10 entries, got null",
                () -> new Selection(10, 4, 3, 1, 1, new float[][] {null}, 3));
        float[][] nan = scores(1, 10);
        nan[0][7] = Float.NaN;
        fails("windowScores[0][7] is not finite", () -> new Selection(10, 4, 3, 1, 1, nan, 3));
    }

    @Test
    void rejectsWindowsThatDoNotFit() {
        fails("windowRows (11) is larger than nCandidates (10)", () -> new Selection(10, 4, 3, 1, 1, scores(1, 10), 11));
        fails("windowRows must be >= 0", () -> new Selection(10, 4, 3, 1, 1, null, -1));
        fails("windowScores are given but windowRows is 0", () -> new Selection(10, 4, 3, 1, 1, scores(1, 10), 0));
    }

    @Test
    void derivedValues() {
        Selection s = new Selection(10, 4, 3, 8, 2, scores(8, 10), 6);
        assertEquals(6, s.chunkLength());
        assertEquals(4, s.groupSize());
        assertTrue(new Selection(10, 4, 10, 8, 2, null, 0).keepsAll());
    }
}
