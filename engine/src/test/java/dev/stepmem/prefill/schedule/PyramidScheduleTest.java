package dev.stepmem.prefill.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** PyramidKV's per-layer budget: f_l from 2 - 1/beta down to 1/beta, over FM or IM. */
class PyramidScheduleTest {
    @Test
    void threeLayersOverFm() {
        // beta = 20: f = [1.95, 1.0, 0.05]; m_max = 100 -> [195, 100, 5].
        PyramidSchedule p = new PyramidSchedule(MemorySchedule.fm(100), 3, 20);
        assertEquals(195, p.memoryAfter(0, 4, 0));
        assertEquals(100, p.memoryAfter(0, 4, 1));
        assertEquals(5, p.memoryAfter(3, 4, 2));
        assertTrue(p.layerDependent());
        assertEquals(100, p.mMax());
    }

    @Test
    void scalesEveryStepOfIm() {
        MemorySchedule im = MemorySchedule.im(IncrementalFunction.LINEAR, 400);
        PyramidSchedule p = new PyramidSchedule(im, 2, 20); // f = [1.95, 0.05]
        for (int i = 0; i < 4; i++) {
            int m = im.memoryAfter(i, 4);
            assertEquals(Math.round(m * 1.95), p.memoryAfter(i, 4, 0), "step " + i);
            assertEquals(Math.max(1, Math.round(m * 0.05)), p.memoryAfter(i, 4, 1), "step " + i);
        }
    }

    @Test
    void imdcSizesItsChunksFromTheBase() {
        MemorySchedule im = MemorySchedule.im(IncrementalFunction.LINEAR, 512);
        ChunkPlan base = ChunkPlan.decremental(4096, 512, im);
        ChunkPlan pyramid = ChunkPlan.decremental(4096, 512, new PyramidSchedule(im, 6, 20));
        assertArrayEquals(base.chunkSizes(), pyramid.chunkSizes());
    }

    @Test
    void oneLayerIsTheBase() {
        PyramidSchedule p = new PyramidSchedule(MemorySchedule.fm(64), 1, 20);
        assertEquals(64, p.memoryAfter(2, 3, 0));
    }

    @Test
    void refusesSchedulesThatAlreadyDecidePerLayer() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new PyramidSchedule(MemorySchedule.adaptive(64, 4), 4, 20));
        assertTrue(e.getMessage().startsWith("PyramidKV's per-layer budget cannot be laid over the adaptive schedule"),
                e.getMessage());
    }
}
