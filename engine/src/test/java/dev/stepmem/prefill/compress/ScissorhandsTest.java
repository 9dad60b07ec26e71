package dev.stepmem.prefill.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Scissorhands on hand-built scores: pivotal counts over the last steps, recent window of keep / 2. */
class ScissorhandsTest {
    /** One head; window of 2 rows, so a candidate's mean probability is its sum / 2. */
    static Selection step(int nMemory, int keep, float... sums) {
        return new Selection(sums.length, nMemory, keep, 1, 1, new float[][] {sums}, 2);
    }

    @Test
    void persistenceOfImportanceOutranksTheCurrentScore() {
        Scissorhands s = new Scissorhands();
        History history = s.newHistory(1);
        // Step 0, 4 candidates, uniform share 1/4: means [0.5, 0.1, 0.3, 0.1], pivotal [1, 0, 1, 0].
        // Keep 2: recent {3}, then the best of [0, 3) by 2 x count + mean = [2.5, 0.1, 2.3] -> 0.
        assertArrayEquals(new int[] {0, 3}, s.select(step(0, 2, 1.0f, 0.2f, 0.6f, 0.2f),
                new StepContext(0, 0, history, null))[0]);
        assertArrayEquals(new double[] {1, 0}, history.get(0, 0), "pivotal this step");
        // Step 1: memory (was 0, 3) + 2 new; means [0.1, 0.1, 0.2, 0.3], pivotal only the last.
        // Counts with the history [1, 0, 0, 1]: scores over [0, 3) = [2.1, 0.1, 0.2] -> 0 (was pivotal before).
        Selection next = step(2, 2, 0.2f, 0.2f, 0.4f, 0.6f);
        assertArrayEquals(new int[] {0, 3}, s.select(next, new StepContext(1, 0, history, null))[0]);
        assertArrayEquals(new double[] {0, 1}, history.get(0, 0), "this step's events");
        assertArrayEquals(new double[] {1, 0}, history.get(0, 1), "one step older");
        // Without the history the current means decide: [0.1, 0.1, 0.2] -> 2.
        assertArrayEquals(new int[] {2, 3}, s.select(next)[0]);
    }

    @Test
    void eventsLeaveTheWindowAfterHistorySteps() {
        Scissorhands s = new Scissorhands();
        History history = s.newHistory(1);
        s.select(step(0, 9, 2.0f, 0.0f), new StepContext(0, 0, history, null)); // row 0 pivotal, row 1 not
        for (int i = 1; i < Scissorhands.HISTORY; i++) { // nothing old pivotal any more; two new rows that are
            float[] sums = new float[history.rows() + 2];
            sums[sums.length - 1] = 2.0f;
            sums[sums.length - 2] = 2.0f;
            s.select(step(history.rows(), 99, sums), new StepContext(i, 0, history, null));
        }
        double[] oldest = history.get(0, Scissorhands.HISTORY - 1);
        assertEquals(1.0, oldest[0], "row 0's step-0 event is in the oldest channel");
        assertEquals(0.0, oldest[1]);
        s.select(step(history.rows(), 99, new float[history.rows() + 2]), new StepContext(Scissorhands.HISTORY, 0, history, null));
        for (int ch = 0; ch < Scissorhands.HISTORY; ch++) {
            assertEquals(0.0, history.get(0, ch)[0], "row 0's event is older than the window, channel " + ch);
        }
    }
}
