package dev.stepmem.prefill.schedule;

import org.junit.jupiter.api.Test;

import static dev.stepmem.prefill.schedule.IncrementalFunction.INVERSE_CONCAVE;
import static dev.stepmem.prefill.schedule.IncrementalFunction.INVERSE_CONVEX;
import static dev.stepmem.prefill.schedule.IncrementalFunction.LINEAR;
import static dev.stepmem.prefill.schedule.IncrementalFunction.SQRT;
import static dev.stepmem.prefill.schedule.IncrementalFunction.SQUARE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IncrementalFunctionTest {

    static int[] sequence(IncrementalFunction f, int n, int mMax) {
        int[] m = new int[n];
        for (int i = 0; i < n; i++) {
            m[i] = f.memoryAfter(i, n, mMax);
        }
        return m;
    }

    @Test
    void linearWorkedExampleL8192() { // METHOD.md §2: L = 8192, c = 2048, m_max = 2048, n = 4
        assertArrayEquals(new int[] {512, 1024, 1536, 2048}, sequence(LINEAR, 4, 2048));
    }

    @Test
    void workedExamplesL16384() { // METHOD.md §2: L = 16384, c = 1024, m_max = 256, n = 16
        int[] linear = new int[16];
        for (int i = 0; i < 16; i++) {
            linear[i] = 16 * (i + 1);
        }
        assertArrayEquals(linear, sequence(LINEAR, 16, 256));
        assertArrayEquals(new int[] {16, 17, 20, 25, 33, 42, 54, 68, 84, 102, 122, 145, 169, 196, 225, 256},
                sequence(SQUARE, 16, 256));
        assertArrayEquals(new int[] {16, 77, 103, 123, 139, 154, 167, 179, 191, 201, 211, 221, 230, 239, 247, 256},
                sequence(SQRT, 16, 256));
        assertArrayEquals(new int[] {16, 17, 18, 19, 21, 23, 25, 28, 32, 36, 42, 51, 64, 85, 128, 256},
                sequence(INVERSE_CONVEX, 16, 256));
        assertArrayEquals(new int[] {16, 144, 186, 208, 220, 229, 235, 240, 243, 246, 248, 250, 252, 253, 254, 256},
                sequence(INVERSE_CONCAVE, 16, 256));
    }

    /**
     * Cases where the reference's float grouping, i^2 * ((m_max - a) / (n-1)^2) + a, truncates
     * differently from a left-to-right i^2 * (m_max - a) / (n-1)^2 + a (values from CPython 3.11).
     */
    @Test
    void followsTheReferenceFloatGrouping() {
        assertEquals(236, SQUARE.memoryAfter(9, 13, 398)); // exactly 237 in real numbers, 236.99999... in the reference
        assertEquals(381, SQUARE.memoryAfter(9, 13, 641));
        assertEquals(8, SQRT.memoryAfter(2, 9, 15));     // left to right would give 7
        assertEquals(30, SQRT.memoryAfter(2, 9, 56));
        assertEquals(63, SQRT.memoryAfter(2, 9, 114));
        assertEquals(124, SQRT.memoryAfter(2, 9, 225));
    }

    @Test
    void lastStepAndBeyondGiveMMax() {
        for (IncrementalFunction f : IncrementalFunction.values()) {
            assertEquals(300, f.memoryAfter(9, 10, 300), f.name());
            assertEquals(300, f.memoryAfter(12, 10, 300), f.name());
            assertEquals(300, f.memoryAfter(0, 1, 300), f.name()); // n = 1: the only step is the last
        }
    }

    @Test
    void tinyMMaxGivesZeroEarlySteps() { // a = m_max // n = 0 when m_max < n
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 3}, sequence(LINEAR, 8, 3));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 3}, sequence(INVERSE_CONVEX, 8, 3));
    }

    @Test
    void monotoneAndBoundedForManyShapes() {
        for (IncrementalFunction f : IncrementalFunction.values()) {
            for (int n = 1; n <= 40; n++) {
                for (int mMax : new int[] {1, 7, 256, 1000, 4096, 1 << 20}) {
                    int[] m = sequence(f, n, mMax);
                    assertEquals(mMax, m[n - 1]);
                    for (int i = 1; i < n; i++) {
                        assertTrue(m[i - 1] <= m[i] && m[i] <= mMax, f + " n=" + n + " m_max=" + mMax + " i=" + i);
                    }
                }
            }
        }
    }

    @Test
    void parsesCliNames() {
        assertEquals(LINEAR, IncrementalFunction.parse("linear"));
        assertEquals(SQRT, IncrementalFunction.parse(" SQRT "));
        assertEquals(INVERSE_CONVEX, IncrementalFunction.parse("inverse_convex"));
        assertEquals(INVERSE_CONCAVE, IncrementalFunction.parse("inverse-concave"));
        for (IncrementalFunction f : IncrementalFunction.values()) {
            assertEquals(f, IncrementalFunction.parse(f.cliName()));
        }
    }

    @Test
    void unknownNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IncrementalFunction.parse("cubic"));
        assertEquals("unknown incremental function 'cubic'; valid: linear, square, sqrt, inverse_convex, inverse_concave",
                e.getMessage());
    }

    @Test
    void rejectsBadArguments() {
        assertEquals("step must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> LINEAR.memoryAfter(-1, 4, 2048)).getMessage());
        assertEquals("nChunks (number of chunks n) must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> LINEAR.memoryAfter(0, 0, 2048)).getMessage());
        assertEquals("m_max (memory limit) must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> SQUARE.memoryAfter(0, 4, 0)).getMessage());
    }
}
