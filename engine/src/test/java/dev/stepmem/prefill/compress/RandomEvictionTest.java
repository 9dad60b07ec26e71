package dev.stepmem.prefill.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The random control: seeded, ascending, and uniform over the candidates. */
class RandomEvictionTest {
    static final Selection TEN_KEEP_THREE = Selection.withoutScores(10, 4, 3, 2, 2);

    @Test
    void dependsOnlyOnSeedStepLayerAndHead() {
        RandomEviction r = new RandomEviction(5);
        int[][] a = r.select(TEN_KEEP_THREE, new StepContext(2, 1, null, null));
        int[][] b = new RandomEviction(5).select(TEN_KEEP_THREE, new StepContext(2, 1, null, null));
        assertTrue(Arrays.deepEquals(a, b), "same seed, step and layer: same subset");
        boolean differs = false;
        for (int step = 0; step < 20 && !differs; step++) {
            differs = !Arrays.deepEquals(a, new RandomEviction(6).select(TEN_KEEP_THREE, new StepContext(step, 1, null, null)));
        }
        assertTrue(differs, "another seed gives other subsets");
        for (int[] row : a) {
            assertEquals(3, row.length);
            for (int i = 1; i < row.length; i++) {
                assertTrue(row[i - 1] < row[i] && row[i] < 10, Arrays.toString(row));
            }
        }
    }

    @Test
    void everyCandidateIsKeptAboutKeepOverNOfTheTime() {
        RandomEviction r = new RandomEviction(1);
        int trials = 3000;
        int[] count = new int[10];
        for (int step = 0; step < trials; step++) {
            for (int i : r.select(TEN_KEEP_THREE, new StepContext(step, 0, null, null))[0]) {
                count[i]++;
            }
        }
        // Expected 900 each; sd = sqrt(3000 * 0.3 * 0.7) ~ 25, so +-125 is 5 sd.
        for (int c : count) {
            assertTrue(Math.abs(c - 900) < 125, Arrays.toString(count));
        }
    }

    @Test
    void keepingEverythingIsTheIdentity() {
        int[][] all = new RandomEviction(3).select(Selection.withoutScores(4, 0, 4, 1, 1));
        assertArrayEquals(new int[] {0, 1, 2, 3}, all[0]);
        assertFalse(new RandomEviction(3).needsScores());
    }
}
