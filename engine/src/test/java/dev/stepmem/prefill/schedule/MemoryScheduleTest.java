package dev.stepmem.prefill.schedule;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryScheduleTest {
    static final int[] SQUARE_16 = {16, 17, 20, 25, 33, 42, 54, 68, 84, 102, 122, 145, 169, 196, 225, 256};
    static final int[] SQRT_16 = {16, 77, 103, 123, 139, 154, 167, 179, 191, 201, 211, 221, 230, 239, 247, 256};
    static final int[] CONVEX_16 = {16, 17, 18, 19, 21, 23, 25, 28, 32, 36, 42, 51, 64, 85, 128, 256};
    static final int[] CONCAVE_16 = {16, 144, 186, 208, 220, 229, 235, 240, 243, 246, 248, 250, 252, 253, 254, 256};

    static int[] layer(MemorySchedule s, int n, int layer) {
        int[] m = new int[n];
        for (int i = 0; i < n; i++) {
            m[i] = s.memoryAfter(i, n, layer);
        }
        return m;
    }

    @Test
    void fmIsMMaxEverywhere() {
        MemorySchedule fm = MemorySchedule.fm(2048);
        assertEquals("fm", fm.name());
        assertFalse(fm.layerDependent());
        assertArrayEquals(new int[] {2048, 2048, 2048, 2048}, layer(fm, 4, 7));
        assertEquals(2048, fm.memoryAfter(0, 4));
    }

    @Test
    void imFollowsItsFunctionInEveryLayer() {
        MemorySchedule im = MemorySchedule.im(IncrementalFunction.SQUARE, 256);
        assertEquals("square", im.name());
        assertArrayEquals(SQUARE_16, layer(im, 16, 0));
        assertArrayEquals(SQUARE_16, layer(im, 16, 31));
    }

    @Test
    void squareSqrtSplitsTheLayersInHalf() { // 32 layers as in the 7B models: 0..15 square, 16..31 sqrt
        MemorySchedule s = MemorySchedule.squareSqrt(256, 32);
        assertTrue(s.layerDependent());
        for (int l = 0; l < 32; l++) {
            assertArrayEquals(l < 16 ? SQUARE_16 : SQRT_16, layer(s, 16, l), "layer " + l);
        }
    }

    @Test
    void doubleInverseSplitsTheLayersInHalf() {
        MemorySchedule s = MemorySchedule.doubleInverse(256, 32);
        assertArrayEquals(CONVEX_16, layer(s, 16, 15));
        assertArrayEquals(CONCAVE_16, layer(s, 16, 16));
    }

    @Test
    void oddLayerCountPutsTheMiddleLayerInTheUpperHalf() { // l < nLayers // 2, as the reference
        LayerSplitSchedule s = MemorySchedule.squareSqrt(256, 5);
        assertTrue(s.isLower(0) && s.isLower(1));
        assertFalse(s.isLower(2));
        assertArrayEquals(SQRT_16, layer(s, 16, 2));
    }

    @Test
    void perLayerScheduleRefusesTheLayerlessQuery() {
        MemorySchedule s = MemorySchedule.doubleInverse(256, 32);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.memoryAfter(0, 16));
        assertEquals("the double_inverse schedule differs per layer: ask memoryAfter(step, nChunks, layer)", e.getMessage());
        assertEquals("layer must be in [0, 32) for a schedule of 32 layers, got 32",
                assertThrows(IllegalArgumentException.class, () -> s.memoryAfter(0, 16, 32)).getMessage());
    }

    @Test
    void selectionRunsOnlyWhenTheCandidatesExceedTheTarget() { // METHOD.md §1
        MemorySchedule im = MemorySchedule.im(IncrementalFunction.LINEAR, 2048); // n = 4: 512, 1024, 1536, 2048
        assertTrue(im.selectsAt(0, 4, 2044));
        assertTrue(im.selectsAt(0, 4, 513));
        assertFalse(im.selectsAt(0, 4, 512));
        assertFalse(im.selectsAt(1, 4, 1000));
        MemorySchedule fm = MemorySchedule.fm(2048);
        assertFalse(fm.selectsAt(0, 4, 2044)); // FM with c = m_max: step 0's 2044 candidates all fit
        assertTrue(fm.selectsAt(1, 4, 2044 + 2048));
        MemorySchedule ss = MemorySchedule.squareSqrt(256, 2);
        assertTrue(ss.selectsAt(1, 16, 0, 20));  // square: 17
        assertFalse(ss.selectsAt(1, 16, 1, 20)); // sqrt: 77
    }

    @Test
    void fixedIncrementalSplitsMMaxOverTheChunks() { // §1 ablation; remainder to the first chunks, as the reference
        FixedIncrementalMemory f = MemorySchedule.fixedIncremental(2048);
        assertTrue(f.freezesOldMemory());
        assertFalse(MemorySchedule.fm(2048).freezesOldMemory());
        assertArrayEquals(new int[] {512, 1024, 1536, 2048}, layer(f, 4, 0));
        FixedIncrementalMemory g = MemorySchedule.fixedIncremental(10);
        int[] slots = new int[4];
        for (int i = 0; i < 4; i++) {
            slots[i] = g.newSlots(i, 4);
        }
        assertArrayEquals(new int[] {3, 3, 2, 2}, slots);
        assertArrayEquals(new int[] {3, 6, 8, 10}, layer(g, 4, 0));
        assertEquals(10, g.memoryAfter(9, 4)); // past the last step: still m_max
        assertTrue(g.selectsAt(2, 4, 3));      // the new chunk's 3 candidates > 2 slots
        assertFalse(g.selectsAt(2, 4, 2));
    }

    @Test
    void parsesEveryName() {
        assertInstanceOf(FixedMemory.class, MemorySchedule.parse("fm", 1024, 32));
        assertEquals(MemorySchedule.im(IncrementalFunction.INVERSE_CONVEX, 1024), MemorySchedule.parse("Inverse-Convex", 1024, 32));
        assertEquals(MemorySchedule.squareSqrt(1024, 32), MemorySchedule.parse("square-sqrt", 1024, 32));
        assertEquals(MemorySchedule.doubleInverse(1024, 32), MemorySchedule.parse("double_inverse", 1024, 32));
        assertInstanceOf(AdaptiveSchedule.class, MemorySchedule.parse("adaptive", 1024, 32));
        assertEquals(MemorySchedule.fixedIncremental(1024), MemorySchedule.parse("fixed_incremental", 1024, 32));
        for (String name : MemorySchedule.names()) {
            assertEquals(name, MemorySchedule.parse(name, 1024, 32).name());
        }
    }

    @Test
    void unknownNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemorySchedule.parse("imdc", 1024, 32));
        assertEquals("unknown memory schedule 'imdc'; valid: fm, linear, square, sqrt, inverse_convex, inverse_concave, "
                + "square_sqrt, double_inverse, adaptive, fixed_incremental", e.getMessage());
    }

    @Test
    void rejectsNonPositiveLimitsAndLayerCounts() {
        String mMax = "m_max (memory limit) must be positive, got 0";
        assertEquals(mMax, assertThrows(IllegalArgumentException.class, () -> MemorySchedule.fm(0)).getMessage());
        assertEquals(mMax, assertThrows(IllegalArgumentException.class,
                () -> MemorySchedule.im(IncrementalFunction.LINEAR, 0)).getMessage());
        assertEquals("m_max (memory limit) must be positive, got -5",
                assertThrows(IllegalArgumentException.class, () -> MemorySchedule.parse("linear", -5, 32)).getMessage());
        assertEquals("nLayers (number of layers) must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> MemorySchedule.adaptive(256, 0)).getMessage());
        assertEquals("layer must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> MemorySchedule.fm(8).memoryAfter(0, 2, -1)).getMessage());
    }
}
