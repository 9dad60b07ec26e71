package dev.stepmem.prefill.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** H2O on hand-built scores: recent window of keep / 2, heavy hitters by attention accumulated over steps. */
class H2oTest {
    /** 2 query heads sharing 1 KV head; the window is every chunk row (here 2). */
    static Selection step(int nMemory, int keep, float[] head0, float[] head1) {
        return new Selection(head0.length, nMemory, keep, 2, 1, new float[][] {head0, head1}, 2);
    }

    @Test
    void accumulatesAttentionAcrossStepsAndKeepsTheRecentHalf() {
        H2o h2o = new H2o();
        History history = h2o.newHistory(1);
        // Step 0, six chunk candidates: group sums [5, 1, 1, 3, 0, 0]. Recent 2 = {4, 5}; heavy 2 of [0, 4) = {0, 3}.
        int[][] first = h2o.select(step(0, 4, new float[] {5, 0, 1, 0, 0, 0}, new float[] {0, 1, 0, 3, 0, 0}),
                new StepContext(0, 0, history, null));
        assertArrayEquals(new int[] {0, 3, 4, 5}, first[0]);
        assertArrayEquals(new double[] {5, 3, 0, 0}, history.get(0, 0), "the kept rows' accumulated scores");
        // Step 1: memory (was 0, 3, 4, 5) + 2 new. This step's sums [0, 2, 4, 0, 0, 0]; accumulated
        // [5, 5, 4, 0, 0, 0]. Recent {4, 5}; heavy 2 of [0, 4) = {0, 1}.
        Selection second = step(4, 4, new float[] {0, 1, 4, 0, 0, 0}, new float[] {0, 1, 0, 0, 0, 0});
        assertArrayEquals(new int[] {0, 1, 4, 5}, h2o.select(second, new StepContext(1, 0, history, null))[0]);
        assertArrayEquals(new double[] {5, 5, 0, 0}, history.get(0, 0));
        // Without the history only this step counts: heavy {1, 2}.
        assertArrayEquals(new int[] {1, 2, 4, 5}, h2o.select(second)[0]);
    }

    @Test
    void observesStepsThatKeepEverything() {
        H2o h2o = new H2o();
        History history = h2o.newHistory(1);
        int[][] all = h2o.select(step(0, 9, new float[] {1, 2, 0}, new float[] {0, 1, 0}), new StepContext(0, 0, history, null));
        assertArrayEquals(new int[] {0, 1, 2}, all[0]);
        assertArrayEquals(new double[] {1, 3, 0}, history.get(0, 0));
    }

    @Test
    void refusesAHistoryOfAnotherMemory() {
        H2o h2o = new H2o();
        History history = h2o.newHistory(1); // 0 rows
        var e = assertThrows(IllegalStateException.class, () -> h2o.select(
                step(2, 2, new float[] {1, 1, 1, 1}, new float[] {1, 1, 1, 1}), new StepContext(1, 0, history, null)));
        assertEquals("h2o: the history describes 1 KV heads x 0 memory rows, but the selection has 1 x 2 (the loop "
                + "must hand each layer its own history every step)", e.getMessage());
    }
}
