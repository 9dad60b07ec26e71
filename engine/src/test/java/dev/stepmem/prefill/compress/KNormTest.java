package dev.stepmem.prefill.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** KNorm on hand-built keys: the lowest L2 norms per KV head, no attention scores. */
class KNormTest {
    @Test
    void keepsTheLowestNormsPerKvHead() {
        Selection s = Selection.withoutScores(4, 1, 2, 2, 2);
        float[][] norms = {{3, 1, 2, 0.5f}, {1, 1, 5, 1}};
        int[][] kept = new KNorm().select(s, new StepContext(0, 0, null, norms));
        assertArrayEquals(new int[] {1, 3}, kept[0]);
        assertArrayEquals(new int[] {0, 1}, kept[1], "three tie at 1: the earlier two");
    }

    @Test
    void normsComeFromEachKvHeadsColumns() {
        // Two rows of two KV heads of head size 2: row 0 = [3, 4 | 0, 1], row 1 = [1, 0 | 2, 2].
        float[][] norms = KeyNorms.of(new float[] {3, 4, 0, 1, 1, 0, 2, 2}, 2, 2, 2);
        assertArrayEquals(new float[] {5, 1}, norms[0]);
        assertArrayEquals(new float[] {1, (float) Math.sqrt(8)}, norms[1]);
    }

    @Test
    void withoutNormsItSaysWhatIsMissing() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new KNorm().select(Selection.withoutScores(4, 1, 2, 2, 2)));
        assertTrue(e.getMessage().startsWith("knorm needs the key norms"), e.getMessage());
    }
}
