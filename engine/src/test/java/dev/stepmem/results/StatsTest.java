package dev.stepmem.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianOfOddAndEvenCountsLeavesTheInputAlone() {
        double[] odd = {5, 1, 3};
        assertEquals(3, Stats.median(odd));
        assertArrayEquals(new double[] {5, 1, 3}, odd, "not sorted in place");
        assertEquals(2.5, Stats.median(new double[] {4, 1, 2, 3}));
        assertEquals("the median of no values",
                assertThrows(IllegalArgumentException.class, () -> Stats.median(new double[0])).getMessage());
    }
}
