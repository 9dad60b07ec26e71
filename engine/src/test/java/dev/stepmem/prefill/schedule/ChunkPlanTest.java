package dev.stepmem.prefill.schedule;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ChunkPlanTest {
    static final MemorySchedule LINEAR_2048 = MemorySchedule.im(IncrementalFunction.LINEAR, 2048);

    @Test
    void imdcWorkedExample() { // METHOD.md §3: L = 8192, c = 2048, m_max = 2048
        ChunkPlan p = ChunkPlan.decremental(8192, 2048, LINEAR_2048);
        assertEquals(4, p.nChunks());
        assertArrayEquals(new int[] {2048, 2560, 2048, 1536}, p.chunkSizes());
        assertArrayEquals(new int[] {512, 1024, 1536, 2048}, p.memoryAfter());
        assertArrayEquals(new int[] {2048, 3076, 3076, 3076}, p.forwardLengths(ChunkPlan.SINKS));
        assertArrayEquals(p.forwardLengths(4), p.forwardLengthsKept(4)); // IM's targets are always reachable here
    }

    @Test
    void fmAndImWorkedExamples() { // METHOD.md §3: standard chunks
        ChunkPlan fm = ChunkPlan.standard(8192, 2048, MemorySchedule.fm(2048));
        assertArrayEquals(new int[] {2048, 2048, 2048, 2048}, fm.chunkSizes());
        assertArrayEquals(new int[] {2048, 4100, 4100, 4100}, fm.forwardLengths(4));
        ChunkPlan im = ChunkPlan.standard(8192, 2048, LINEAR_2048);
        assertArrayEquals(new int[] {2048, 2564, 3076, 3588}, im.forwardLengths(4));
    }

    @Test
    void keptMemoryIsSmallerWhenStepZeroHasFewerCandidatesThanTheTarget() {
        ChunkPlan fm = ChunkPlan.standard(8192, 2048, MemorySchedule.fm(2048));
        assertArrayEquals(new int[] {2044, 2048, 2048, 2048}, fm.memoryKept(4)); // chunk 0 = 4 sinks + 2044
        assertArrayEquals(new int[] {2048, 4096, 4100, 4100}, fm.forwardLengthsKept(4));
    }

    @Test
    void oneChunkWhenCIsAtLeastL() {
        for (int c : new int[] {1000, 2048}) {
            for (ChunkPlan p : new ChunkPlan[] {ChunkPlan.standard(1000, c, LINEAR_2048),
                    ChunkPlan.decremental(1000, c, LINEAR_2048)}) {
                assertArrayEquals(new int[] {1000}, p.chunkSizes());
                assertArrayEquals(new int[] {2048}, p.memoryAfter());
                assertArrayEquals(new int[] {1000}, p.forwardLengths(4));
                assertArrayEquals(new int[] {996}, p.memoryKept(4));
            }
        }
    }

    @Test
    void lengthNotAMultipleOfC() { // expected values computed with the reference's formulas in CPython
        assertArrayEquals(new int[] {3000, 3000, 3000, 1000},
                ChunkPlan.standard(10000, 3000, MemorySchedule.fm(1000)).chunkSizes());
        assertArrayEquals(new int[] {2500, 2750, 2500, 2250},
                ChunkPlan.decremental(10000, 3000, MemorySchedule.im(IncrementalFunction.LINEAR, 1000)).chunkSizes());
        ChunkPlan sqrt = ChunkPlan.decremental(8191, 2048, MemorySchedule.im(IncrementalFunction.SQRT, 2048));
        assertArrayEquals(new int[] {2047, 2760, 1874, 1510}, sqrt.chunkSizes());
        assertArrayEquals(new int[] {512, 1398, 1766, 2048}, sqrt.memoryAfter());
        // m_hat = (512 + 1398 + 1766) // 3 = 1225; c_avg + m_hat = 3272; last step: + 8191 % 4 + 3676 % 3 = +4
        assertArrayEquals(new int[] {2047, 3276, 3276, 3280}, sqrt.forwardLengths(4));
    }

    @Test
    void decrementalInvariantsHoldForRandomShapes() {
        SplittableRandom rnd = new SplittableRandom(20241112);
        IncrementalFunction[] fns = IncrementalFunction.values();
        int built = 0;
        int refused = 0;
        for (int trial = 0; trial < 3000; trial++) {
            int length = 5 + rnd.nextInt(trial % 3 == 0 ? 2_000_000 : 50_000);
            int c = 1 + rnd.nextInt(Math.max(1, length / (1 + rnd.nextInt(64))));
            int mMax = 1 + rnd.nextInt(2 * c);
            IncrementalFunction fn = fns[rnd.nextInt(fns.length)];
            MemorySchedule s = MemorySchedule.im(fn, mMax);
            String what = "L=" + length + " c=" + c + " m_max=" + mMax + " " + fn;
            int n = ChunkPlan.chunkCount(length, c);
            int[] m = new int[n];
            long sumBeforeLast = 0;
            for (int i = 0; i < n; i++) {
                m[i] = s.memoryAfter(i, n);
                sumBeforeLast += i < n - 1 ? m[i] : 0;
            }
            ChunkPlan p;
            try {
                p = ChunkPlan.decremental(length, c, s);
            } catch (IllegalArgumentException e) {
                refused++;
                assertTrue(e.getMessage().startsWith("IMDC decremental chunk "), what + ": " + e.getMessage());
                assertTrue(anyChunkNonPositive(length, n, m, sumBeforeLast), what + " refused but all chunks positive");
                continue;
            }
            built++;
            int[] chunks = p.chunkSizes();
            assertEquals(n, chunks.length, what);
            assertEquals(length, Arrays.stream(chunks).asLongStream().sum(), what);
            assertTrue(Arrays.stream(chunks).allMatch(x -> x > 0), what);
            assertArrayEquals(m, p.memoryAfter(), what);
            int cAvg = length / n;
            assertEquals(cAvg, chunks[0], what);
            if (n == 1) {
                continue;
            }
            long constant = cAvg + sumBeforeLast / (n - 1); // c_avg + m_hat
            for (int i = 1; i < n - 1; i++) {
                assertEquals(constant, (long) m[i - 1] + chunks[i], what + " step " + i);
            }
            // the last chunk takes the remainder: above the constant by both floor remainders
            long excess = length % n + sumBeforeLast % (n - 1);
            assertEquals(constant + excess, (long) m[n - 2] + chunks[n - 1], what + " last step");
            // standard chunks too: [c, ..., c, rest]
            int[] std = ChunkPlan.standard(length, c, s).chunkSizes();
            assertEquals(length, Arrays.stream(std).asLongStream().sum(), what);
            assertTrue(Arrays.stream(std, 0, n - 1).allMatch(x -> x == c) && std[n - 1] > 0 && std[n - 1] <= c, what);
        }
        assertTrue(built > 1500 && refused > 50, "built " + built + ", refused " + refused);
    }

    static boolean anyChunkNonPositive(int length, int n, int[] m, long sumBeforeLast) {
        long cAvg = length / n;
        long mHat = sumBeforeLast / (n - 1);
        long total = cAvg;
        for (int i = 1; i < n - 1; i++) {
            long ci = cAvg + mHat - m[i - 1];
            if (ci <= 0) {
                return true;
            }
            total += ci;
        }
        return length - total <= 0;
    }

    @Test
    void perLayerSchedulesGiveStandardPlansPerLayer() {
        ChunkPlan p = ChunkPlan.standard(16384, 1024, MemorySchedule.squareSqrt(256, 32));
        assertArrayEquals(MemoryScheduleTest.SQUARE_16, p.memoryAfter(0));
        assertArrayEquals(MemoryScheduleTest.SQRT_16, p.memoryAfter(31));
        assertEquals(4 + 16 + 1024, p.forwardLengths(4, 0)[1]);
        assertEquals(4 + 77 + 1024, p.forwardLengths(4, 31)[2]);
        assertEquals("the square_sqrt schedule differs per layer: call forwardLengths(sinks, layer)",
                assertThrows(IllegalStateException.class, () -> p.forwardLengths(4)).getMessage());
        assertEquals("the square_sqrt schedule differs per layer: call memoryAfter(layer)",
                assertThrows(IllegalStateException.class, p::memoryAfter).getMessage());
    }

    @Test
    void fixedIncrementalKeepsOldMemoryAndAddsSlots() {
        ChunkPlan p = ChunkPlan.standard(10000, 3000, MemorySchedule.fixedIncremental(10));
        assertArrayEquals(new int[] {3, 6, 8, 10}, p.memoryAfter());
        assertArrayEquals(new int[] {3, 6, 8, 10}, p.memoryKept(4));
        assertArrayEquals(new int[] {3000, 3007, 3010, 1012}, p.forwardLengths(4));
        // a short last chunk holds fewer candidates than its slots: the memory ends below m_max
        ChunkPlan q = ChunkPlan.standard(6002, 3000, MemorySchedule.fixedIncremental(30));
        assertArrayEquals(new int[] {10, 20, 22}, q.memoryKept(4));
    }

    @Test
    void imdcRefusesOtherSchedules() {
        assertEquals("decremental chunks (IMDC) need a layer-independent IM schedule (linear, square, sqrt, "
                        + "inverse_convex or inverse_concave), got fm",
                assertThrows(IllegalArgumentException.class,
                        () -> ChunkPlan.decremental(8192, 2048, MemorySchedule.fm(2048))).getMessage());
        String perLayer = assertThrows(IllegalArgumentException.class,
                () -> ChunkPlan.decremental(8192, 2048, MemorySchedule.adaptive(2048, 32))).getMessage();
        assertTrue(perLayer.endsWith("got adaptive: its memory differs per layer, but chunk sizes are shared by all layers"),
                perLayer);
    }

    @Test
    void imdcExplainsANonPositiveChunk() {
        String last = assertThrows(IllegalArgumentException.class, () -> ChunkPlan.decremental(8192, 2048,
                MemorySchedule.im(IncrementalFunction.LINEAR, 100_000))).getMessage();
        assertEquals("IMDC decremental chunk 3 of 4 would have -22952 tokens (the chunks before it already take 31144 "
                + "of the L=8192 tokens; L=8192, c=2048, m_max=100000, linear): the memory grows by more than an "
                + "average chunk, use a smaller m_max or a larger c", last);
        // square, m_max = 5000, n = 8: m = [625, 714, 982, 1428, 2053, 2857, 3839, 5000], m_hat = 1785
        String middle = assertThrows(IllegalArgumentException.class, () -> ChunkPlan.decremental(8192, 1024,
                MemorySchedule.im(IncrementalFunction.SQUARE, 5000))).getMessage();
        assertTrue(middle.startsWith("IMDC decremental chunk 6 of 8 would have -48 tokens "
                + "(c_avg + m_hat - m_5 = 1024 + 1785 - 2857; L=8192, c=1024, m_max=5000, square)"), middle);
    }

    @Test
    void validatesLengthChunkSizeAndSinks() {
        assertEquals("L (input length) must be at least 5 (4 attention sinks + 1 token), got 4",
                assertThrows(IllegalArgumentException.class, () -> ChunkPlan.standard(4, 2048, LINEAR_2048)).getMessage());
        assertEquals("c (chunk size) must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> ChunkPlan.decremental(8192, 0, LINEAR_2048)).getMessage());
        assertEquals("c (chunk size) must be positive, got -3",
                assertThrows(IllegalArgumentException.class, () -> ChunkPlan.standard(8192, -3, LINEAR_2048)).getMessage());
        ChunkPlan tiny = ChunkPlan.standard(100, 4, LINEAR_2048);
        assertEquals("the first chunk (4 tokens) must hold the 4 sinks plus at least one token: raise c (chunk size, now 4)",
                assertThrows(IllegalArgumentException.class, () -> tiny.forwardLengths(4)).getMessage());
        assertEquals("sinks must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> tiny.memoryKept(-1)).getMessage());
        assertArrayEquals(new int[] {5}, ChunkPlan.standard(5, 8, LINEAR_2048).forwardLengths(4));
        try {
            ChunkPlan.standard(Integer.MAX_VALUE, 1 << 20, LINEAR_2048); // ceil without overflow
        } catch (RuntimeException e) {
            fail(e);
        }
    }
}
