package dev.stepmem.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** VectorExp against Math.exp (the plain reference), and LaneSum against a plain pairwise loop. */
class VectorExpTest {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private static float[] expOf(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += F.length()) {
            VectorExp.exp(FloatVector.fromArray(F, x, i)).intoArray(out, i);
        }
        return out;
    }

    @Test
    void withinFourUlpsOfMathExpOverTheWholeRange() {
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = new float[F.length() * 4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (VectorExp.MIN_ARG + rnd.nextDouble() * (VectorExp.MAX_ARG - VectorExp.MIN_ARG));
        }
        x[0] = 0f;
        x[1] = -1e-30f;
        float[] got = expOf(x);
        for (int i = 0; i < x.length; i++) {
            double want = Math.exp(x[i]);
            assertTrue(Math.abs(got[i] - want) <= 4 * Math.ulp((float) want),
                    "exp(" + x[i] + ") = " + got[i] + ", Math.exp gives " + want);
        }
        assertEquals(1f, got[0]);
    }

    @Test
    void underflowIsZeroAndLargeArgumentsStayFinite() {
        float[] x = new float[F.length()];
        java.util.Arrays.fill(x, -1000f);
        x[0] = Float.NEGATIVE_INFINITY;
        x[1] = 1000f;
        x[2] = VectorExp.MIN_ARG - 0.01f;
        float[] got = expOf(x);
        assertEquals(0f, got[0]);
        assertTrue(Float.isFinite(got[1]) && got[1] > 1e38f, "clamped, not infinite: " + got[1]);
        assertEquals(0f, got[2]);
        for (int i = 3; i < x.length; i++) {
            assertEquals(0f, got[i]);
        }
    }

    @Test
    void laneSumIsThePairwiseTreeInLaneOrder() {
        SplittableRandom rnd = new SplittableRandom(6);
        float[] lanes = new float[F.length()];
        for (int trial = 0; trial < 1000; trial++) {
            double exact = 0;
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
                exact += lanes[i];
            }
            float[] tree = lanes.clone();
            for (int half = tree.length / 2; half >= 1; half /= 2) {
                for (int i = 0; i < half; i++) {
                    tree[i] += tree[i + half];
                }
            }
            float got = LaneSum.of(FloatVector.fromArray(F, lanes, 0));
            assertEquals(Float.floatToRawIntBits(tree[0]), Float.floatToRawIntBits(got), "lanes " + trial);
            assertEquals(exact, got, 1e-5 * (1 + Math.abs(exact)) * lanes.length);
        }
    }
}
