package dev.stepmem.model.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.RopeStyle;
import dev.stepmem.model.LayerWeights;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Synthetic weights on a mid-size GQA config (about 13M parameters; the 7B shapes are too big here). */
class SyntheticWeightsTest {
    static final ModelConfig MID = new ModelConfig("internlm2", 512, 1376, 4, 8, 2, 4096, 2048, 1e-5f,
            1_000_000.0, RopeStyle.ROTATE_HALF, 0, false);

    static List<HostTensor> all(ModelWeights w) {
        List<HostTensor> out = new ArrayList<>(List.of(w.tokenEmbedding(), w.rmsFinal(), w.classifier()));
        for (LayerWeights l : w.layers()) {
            out.addAll(List.of(l.rmsAtt(), l.wq(), l.wk(), l.wv(), l.wo(), l.rmsFfn(), l.w1(), l.w2(), l.w3()));
        }
        return out;
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() {
        try (ModelWeights a = SyntheticWeights.create(MID, DType.BF16, 42);
             ModelWeights b = SyntheticWeights.create(MID, DType.BF16, 42);
             ModelWeights c = SyntheticWeights.create(MID, DType.BF16, 43)) {
            List<HostTensor> ta = all(a), tb = all(b), tc = all(c);
            for (int i = 0; i < ta.size(); i++) {
                assertEquals(-1, ta.get(i).data().mismatch(tb.get(i).data()), ta.get(i).name());
                if (ta.get(i).rows() > 1) {
                    assertNotEquals(-1, ta.get(i).data().mismatch(tc.get(i).data()), ta.get(i).name());
                }
            }
            // different tensors of one model are different streams
            assertNotEquals(-1, a.layers().get(0).wq().data().mismatch(a.layers().get(0).wo().data()));
            assertNotEquals(-1, a.layers().get(0).wq().data().mismatch(a.layers().get(1).wq().data()));
        }
    }

    @Test
    void shapesTypesAndValues() {
        try (ModelWeights w = SyntheticWeights.create(MID, DType.F32, 1)) {
            assertEquals(MID, w.config());
            assertEquals(DType.F32, w.matrixType());
            LayerWeights l = w.layers().get(3);
            assertShape(l.wq(), 512, 512);
            assertShape(l.wk(), 128, 512);
            assertShape(l.wv(), 128, 512);
            assertShape(l.w1(), 1376, 512);
            assertShape(l.w2(), 512, 1376);
            assertShape(w.classifier(), 4096, 512);
            for (int i = 0; i < 512; i++) {
                assertEquals(1.0f, l.rmsAtt().get(i));
                assertEquals(1.0f, l.rmsFfn().get(i));
                assertEquals(1.0f, w.rmsFinal().get(i));
            }
            HostTensor t = l.w2();
            double sum = 0, sq = 0;
            for (long i = 0; i < t.elements(); i++) {
                float x = t.get(i);
                assertTrue(Math.abs(x) <= SyntheticWeights.AMPLITUDE, "out of range: " + x);
                sum += x;
                sq += (double) x * x;
            }
            double mean = sum / t.elements(), std = Math.sqrt(sq / t.elements() - mean * mean);
            assertEquals(0.0, mean, 2e-4);
            assertEquals(0.02, std, 2e-4);
            assertTrue(w.source().contains("seed=1"));
        }
    }

    private static void assertShape(HostTensor t, int rows, int cols) {
        assertEquals(rows, t.rows(), t.name());
        assertEquals(cols, t.cols(), t.name());
    }

    /** BF16 / F16 weights are the F32 weights of the same seed, rounded. */
    @Test
    void halfPrecisionIsTheRoundedF32() {
        ModelConfig small = new ModelConfig("llama", 128, 256, 2, 4, 4, 1000, 512, 1e-5f, 10000.0,
                RopeStyle.ROTATE_HALF, 0, true);
        try (ModelWeights f = SyntheticWeights.create(small, DType.F32, 9);
             ModelWeights b = SyntheticWeights.create(small, DType.BF16, 9);
             ModelWeights h = SyntheticWeights.create(small, DType.F16, 9)) {
            assertSame(f.tokenEmbedding(), f.classifier());    // tied
            List<HostTensor> tf = all(f), tb = all(b), th = all(h);
            for (int i = 0; i < tf.size(); i++) {
                HostTensor x = tf.get(i);
                boolean norm = x.rows() == 1;
                assertEquals(norm ? DType.F32 : DType.BF16, tb.get(i).dtype());
                assertEquals(norm ? DType.F32 : DType.F16, th.get(i).dtype());
                for (long e = 0; e < x.elements(); e += 7) {
                    assertEquals(TinyCheckpointWriter.round(DType.BF16, x.get(e)), tb.get(i).get(e));
                    assertEquals(TinyCheckpointWriter.round(DType.F16, x.get(e)), th.get(i).get(e));
                }
            }
        }
    }

    /** Every element follows value(key, i), also in a tensor whose size is not a multiple of 4. */
    @Test
    void elementsFollowTheCounterBasedFormula() {
        ModelConfig odd = new ModelConfig("llama", 130, 70, 1, 5, 5, 1001, 256, 1e-5f, 10000.0,
                RopeStyle.ROTATE_HALF, 0, false);
        try (ModelWeights f = SyntheticWeights.create(odd, DType.F32, 77);
             ModelWeights b = SyntheticWeights.create(odd, DType.BF16, 77)) {
            HostTensor emb = f.tokenEmbedding();                    // 130130 elements: 2 past the last quad
            HostTensor cls = f.classifier();                        // random tensor number 1 + 7 * nLayers
            long embKey = SyntheticWeights.streamKey(77, 0), clsKey = SyntheticWeights.streamKey(77, 8);
            for (long i = 0; i < emb.elements(); i++) {
                assertEquals(SyntheticWeights.value(embKey, i), emb.get(i), "embedding " + i);
                assertEquals(SyntheticWeights.value(clsKey, i), cls.get(i), "classifier " + i);
                assertEquals(TinyCheckpointWriter.round(DType.BF16, emb.get(i)), b.tokenEmbedding().get(i));
            }
        }
    }

    @Test
    void offHeapAndClosedWithTheWeights() {
        ModelWeights w = SyntheticWeights.create(MID, DType.BF16, 5);
        MemorySegment seg = w.layers().get(0).w1().data();
        assertTrue(seg.isNative());
        assertTrue(seg.heapBase().isEmpty());
        w.close();
        assertThrows(IllegalStateException.class, () -> w.layers().get(0).w1().get(0));
        assertThrows(IllegalStateException.class, () -> w.rmsFinal().get(0));
    }
}
