package dev.stepmem.prefill.schedule;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Hand-computed: with 2 layers, softmax([x, y])_0 = 1 / (1 + e^(y - x)). Example: m_max = 1000,
 * n = 10, a = 100; step 1 reports r = [0.2, 0.8]; step 2 uses softmax = [0.354344, 0.645656], so
 * m_2 = 3 * 100 * 2 * [0.354344, 0.645656] = [212.606, 387.394] -> [212, 387].
 */
class AdaptiveScheduleTest {

    static int[] at(AdaptiveSchedule s, int step, int n) {
        int[] m = new int[s.nLayers()];
        for (int l = 0; l < m.length; l++) {
            m[l] = s.memoryAfter(step, n, l);
        }
        return m;
    }

    @Test
    void handComputedTwoLayers() {
        AdaptiveSchedule s = MemorySchedule.adaptive(1000, 2);
        assertArrayEquals(new int[] {100, 100}, at(s, 0, 10)); // a
        assertArrayEquals(new int[] {200, 200}, at(s, 1, 10)); // 2a
        s.observeRetention(1, new double[] {0.2, 0.8});
        assertArrayEquals(new int[] {212, 387}, at(s, 2, 10));
        s.observeRetention(2, new double[] {0.4, 0.6});
        // mean r = [0.3, 0.7]: softmax_0 = 1 / (1 + e^0.4) = 0.401312; 4 * 100 * 2 * [0.401312, 0.598688]
        assertArrayEquals(new int[] {321, 478}, at(s, 3, 10));
        assertArrayEquals(new int[] {1000, 1000}, at(s, 9, 10)); // last step: m_max
    }

    @Test
    void capsAtMMax() {
        AdaptiveSchedule s = MemorySchedule.adaptive(1000, 2);
        s.observeRetention(1, new double[] {0.0, 1.0});
        // step 8: 9 * 100 * 2 * [0.268941, 0.731059] = [484.09, 1315.9] -> [484, min(.., 1000)]
        assertArrayEquals(new int[] {484, 1000}, at(s, 8, 10));
    }

    @Test
    void stepsZeroAndOneIgnoreTheRatios() {
        AdaptiveSchedule s = MemorySchedule.adaptive(1000, 2);
        s.observeRetention(1, new double[] {0.0, 1.0});
        s.observeRetention(2, new double[] {0.0, 1.0});
        assertArrayEquals(new int[] {100, 100}, at(s, 0, 10));
        assertArrayEquals(new int[] {200, 200}, at(s, 1, 10));
    }

    @Test
    void meanUsesOnlyEarlierStepsSoAnswersAreStable() {
        AdaptiveSchedule s = MemorySchedule.adaptive(1000, 2);
        s.observeRetention(1, new double[] {0.2, 0.8});
        int[] step2 = at(s, 2, 10);
        s.observeRetention(2, new double[] {1.0, 0.0});
        s.observeRetention(3, new double[] {1.0, 0.0});
        assertArrayEquals(step2, at(s, 2, 10)); // step 2 still reads step 1 alone
        assertArrayEquals(new double[] {0.2, 0.8}, s.runningMean(2), 0);
        assertArrayEquals(new double[] {0.6, 0.4}, s.runningMean(3), 1e-15);
    }

    @Test
    void withoutRatiosTheScheduleIsLinear() { // uniform softmax: (i+1) * a * nLayers / nLayers
        AdaptiveSchedule s = MemorySchedule.adaptive(2048, 32);
        for (int step = 0; step < 16; step++) {
            int expected = step == 15 ? 2048 : 128 * (step + 1);
            for (int l = 0; l < 32; l++) {
                assertEquals(expected, s.memoryAfter(step, 16, l), "step " + step + " layer " + l);
            }
        }
    }

    @Test
    void nanMeansNotObservedAndUnobservedLayersCountAsZero() {
        AdaptiveSchedule s = MemorySchedule.adaptive(2048, 4); // n = 16: a = 128
        s.observeRetention(1, new double[] {0.5, Double.NaN, 0.1, 1.0});
        s.observeRetention(2, new double[] {Double.NaN, Double.NaN, 0.3, 1.0});
        assertArrayEquals(new double[] {0.5, 0.0, 0.2, 1.0}, s.runningMean(3), 1e-15);
        // 4 * 128 * 4 * softmax([0.5, 0, 0.2, 1]) = [512.50, 310.85, 379.67, 844.98]
        assertArrayEquals(new int[] {512, 310, 379, 844}, at(s, 3, 16));
    }

    @Test
    void twoChunksMakeStepOneTheLast() {
        AdaptiveSchedule s = MemorySchedule.adaptive(1000, 2);
        assertArrayEquals(new int[] {500, 500}, at(s, 0, 2));
        assertArrayEquals(new int[] {1000, 1000}, at(s, 1, 2));
        assertArrayEquals(new int[] {1000, 1000}, at(s, 0, 1));
    }

    @Test
    void resetForgetsTheRatios() {
        AdaptiveSchedule s = MemorySchedule.adaptive(1000, 2);
        s.observeRetention(1, new double[] {0.0, 1.0});
        s.reset();
        assertArrayEquals(new int[] {300, 300}, at(s, 2, 10));
        s.observeRetention(1, new double[] {0.2, 0.8}); // step 1 may be reported again after reset
        assertArrayEquals(new int[] {212, 387}, at(s, 2, 10));
    }

    @Test
    void rejectsBadObservations() {
        AdaptiveSchedule s = MemorySchedule.adaptive(1000, 2);
        assertEquals("retention step must be >= 1 (step 0 has no previous memory), got 0",
                assertThrows(IllegalArgumentException.class, () -> s.observeRetention(0, new double[2])).getMessage());
        assertEquals("retentionPerLayer must have one value per layer (2), got 3",
                assertThrows(IllegalArgumentException.class, () -> s.observeRetention(1, new double[3])).getMessage());
        assertEquals("retention ratio of layer 1 at step 1 must be in [0, 1] or NaN, got 1.5",
                assertThrows(IllegalArgumentException.class,
                        () -> s.observeRetention(1, new double[] {0.5, 1.5})).getMessage());
        s.observeRetention(2, new double[] {0.5, 0.5});
        assertEquals("retention steps must increase: step 2 reported after step 2",
                assertThrows(IllegalArgumentException.class, () -> s.observeRetention(2, new double[2])).getMessage());
    }

    @Test
    void observationsAreCopied() {
        AdaptiveSchedule s = MemorySchedule.adaptive(1000, 2);
        double[] r = {0.2, 0.8};
        s.observeRetention(1, r);
        r[0] = 1.0;
        assertArrayEquals(new int[] {212, 387}, at(s, 2, 10));
    }
}
