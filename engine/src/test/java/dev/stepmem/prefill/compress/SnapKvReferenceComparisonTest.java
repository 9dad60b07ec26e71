package dev.stepmem.prefill.compress;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The implementations against the literal references on random causal attention. The
 * probabilities are quantized to multiples of 2^-12 so every sum is exact in float and double:
 * both sides then rank bit-identical scores and must return identical indices, ties included.
 */
class SnapKvReferenceComparisonTest {
    static final int SINKS = 4;
    static final double QUANTUM = 1.0 / 4096;

    /**
     * probs[h][r][key] for every position r of [sinks | memory | chunk] over the same keys, causal,
     * quantized: the chunk's rows random, the sink and memory rows uniform over their causal prefix
     * (the reference's eager map gives them zero queries).
     */
    static double[][][] randomAttention(SplittableRandom rnd, int nHeads, int nMemory, int chunk) {
        int past = SINKS + nMemory, nKeys = past + chunk;
        double[] heavy = new double[nKeys]; // a few keys every head likes, so rankings have structure
        for (int i = 0; i < nKeys; i++) {
            heavy[i] = rnd.nextInt(6) == 0 ? 2 + 2 * rnd.nextDouble() : 0;
        }
        double[][][] p = new double[nHeads][nKeys][nKeys];
        for (int h = 0; h < nHeads; h++) {
            double temperature = 0.5 + 3 * rnd.nextDouble();
            for (int r = 0; r < nKeys; r++) {
                int visible = r + 1;
                double[] logit = new double[visible];
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < visible; i++) {
                    logit[i] = r < past ? 0 : temperature * rnd.nextGaussian() + heavy[i] + (i < SINKS ? 3 : 0);
                    max = Math.max(max, logit[i]);
                }
                double z = 0;
                for (int i = 0; i < visible; i++) {
                    z += Math.exp(logit[i] - max);
                }
                for (int i = 0; i < visible; i++) {
                    p[h][r][i] = Math.rint(Math.exp(logit[i] - max) / z / QUANTUM) * QUANTUM;
                }
            }
        }
        return p;
    }

    /** What the prefill loop hands the compressor: the last w positions' rows summed, sink columns dropped. */
    static float[][] windowScores(double[][][] p, int w) {
        int rows = p[0].length;
        int n = p[0][0].length - SINKS;
        float[][] s = new float[p.length][n];
        for (int h = 0; h < p.length; h++) {
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int r = rows - w; r < rows; r++) {
                    sum += p[h][r][SINKS + i];
                }
                s[h][i] = (float) sum;
                assertEquals(sum, s[h][i], 0.0, "test inputs must be exact in float");
            }
        }
        return s;
    }

    /** The chunk's rows only: the original SnapKV observes its prompt's own queries. */
    static double[][][] chunkRows(double[][][] p, int chunk) {
        double[][][] out = new double[p.length][][];
        for (int h = 0; h < p.length; h++) {
            out[h] = Arrays.copyOfRange(p[h], p[h].length - chunk, p[h].length);
        }
        return out;
    }

    static void assertWellFormed(int[][] kept, int nKvHeads, int n, int keep) {
        assertEquals(nKvHeads, kept.length);
        for (int[] row : kept) {
            assertEquals(Math.min(keep, n), row.length);
            for (int j = 0; j < row.length; j++) {
                assertTrue(row[j] >= 0 && row[j] < n, "index out of range: " + row[j]);
                assertTrue(j == 0 || row[j - 1] < row[j], "not strictly ascending: " + Arrays.toString(row));
            }
        }
    }

    void compare(SplittableRandom rnd, int maxMemory, int maxChunk) {
        int nKv = 1 + rnd.nextInt(3);
        int nHeads = nKv * (1 << rnd.nextInt(3));
        int m = rnd.nextInt(maxMemory + 1);
        int cl = 1 + rnd.nextInt(maxChunk);
        int c = 1 + rnd.nextInt(maxChunk);
        int n = m + cl;
        int keep = rnd.nextInt(n + 3);
        double[][][] p = randomAttention(rnd, nHeads, m, cl);
        String where = "nHeads=" + nHeads + " nKv=" + nKv + " m=" + m + " chunk=" + cl + " c=" + c + " keep=" + keep;

        for (GqaGrouping g : GqaGrouping.values()) {
            SnapKv snap = new SnapKv(g);
            int w = snap.windowRows(cl, n, c);
            int[][] got = snap.select(new Selection(n, m, keep, nHeads, nKv, windowScores(p, w), w));
            assertArrayEquals(SnapKvReference.select(p, SINKS, nKv, c, keep, g), got, g + " " + where);
            assertWellFormed(got, nKv, n, keep);
        }
        int window = 1 + rnd.nextInt(Math.max(1, maxChunk / 2));
        SnapKvWindow original = new SnapKvWindow(window);
        int w = original.windowRows(cl, n, c);
        int[][] got = original.select(new Selection(n, m, keep, nHeads, nKv, windowScores(p, w), w));
        assertArrayEquals(SnapKvOriginalReference.select(chunkRows(p, cl), SINKS, nKv, window, keep), got,
                "snapkv-window:" + window + " " + where);
        assertWellFormed(got, nKv, n, keep);
    }

    @Test
    void smallRandomCases() {
        SplittableRandom rnd = new SplittableRandom(20241169);
        for (int trial = 0; trial < 3000; trial++) {
            compare(rnd, 24, 16);
        }
    }

    @Test
    void largerRandomCases() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int trial = 0; trial < 40; trial++) {
            compare(rnd, 300, 200);
        }
    }

    /** Different KV heads really do keep different tokens on random data (not just in the hand example). */
    @Test
    void kvHeadsDiverge() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[][][] p = randomAttention(rnd, 4, 40, 24);
        int[][] kept = new SnapKv().select(new Selection(64, 40, 16, 4, 4, windowScores(p, 24), 24));
        assertTrue(!Arrays.equals(kept[0], kept[1]) || !Arrays.equals(kept[2], kept[3]), Arrays.deepToString(kept));
    }
}
