package dev.stepmem.prefill.compress;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class TopKTest {

    @Test
    void handExamples() {
        double[] s = {.1, .5, .5, .2, .9, .5};
        assertArrayEquals(new int[] {4}, TopK.ascending(s, 0, 6, 1));
        assertArrayEquals(new int[] {1, 4}, TopK.ascending(s, 0, 6, 2)); // 1, 2, 5 tie: 1 is earliest
        assertArrayEquals(new int[] {1, 2, 4}, TopK.ascending(s, 0, 6, 3));
        assertArrayEquals(new int[] {1, 2, 4, 5}, TopK.ascending(s, 0, 6, 4));
        assertArrayEquals(new int[] {}, TopK.ascending(s, 0, 6, 0));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, TopK.ascending(s, 0, 6, 9));
        assertArrayEquals(new int[] {2, 4}, TopK.ascending(s, 2, 6, 2)); // over a sub-range
        assertArrayEquals(new int[] {0, 1}, TopK.ascending(new double[] {0.0, -0.0, 0.0}, 0, 3, 2)); // -0.0 ties 0.0
    }

    /** Against a plain full sort by (score descending, index ascending), with many ties. */
    @Test
    void matchesAFullSortOnRandomScoresWithTies() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + rnd.nextInt(60);
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = rnd.nextInt(1 + rnd.nextInt(8)); // small integer range: frequent ties
            }
            int k = rnd.nextInt(n + 2);
            int[] expected = IntStream.range(0, n).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -s[i]).thenComparingInt(i -> i))
                    .limit(k).mapToInt(Integer::intValue).sorted().toArray();
            assertArrayEquals(expected, TopK.ascending(s, 0, n, k), () -> Arrays.toString(s) + " k=" + k);
        }
    }
}
