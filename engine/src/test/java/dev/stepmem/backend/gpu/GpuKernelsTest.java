package dev.stepmem.backend.gpu;

import static dev.stepmem.backend.BackendOpsTestAccess.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.TestTensors;
import dev.stepmem.backend.RopeStyle;
import dev.stepmem.backend.Tensor;
import dev.stepmem.backend.cpu.ReferenceBackend;
import dev.stepmem.backend.opencl.OpenClTestDevice;
import dev.stepmem.backend.CrossEntropy;
import dev.stepmem.prefill.compress.GqaGrouping;
import dev.stepmem.prefill.compress.Selection;
import dev.stepmem.prefill.compress.SnapKv;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kernels beyond what BackendOpsTest covers, on the OpenCL build (PoCL), each against its
 * plain Java reference: GEMM per weight dtype at sizes that are no multiple of any tile, exact
 * widening of special bf16/fp16 values, RoPE far from position 0, SnapKV's scoring, top-k and
 * tie rule against prefill/compress, and the loss kernel against CrossEntropy.of.
 */
class GpuKernelsTest {
    /**
     * GEMM tolerance per weight dtype (max |error| / max |reference|): widening bf16/fp16 to fp32 is
     * exact, so every dtype differs from the double-accumulating reference only by fp32 summation
     * over k, about sqrt(k) * 6e-8 relative; 1e-5 leaves room for k = 1001 and cancellation.
     */
    private static final Map<DType, Double> GEMM_TOLERANCE = Map.of(DType.F32, 1e-5, DType.BF16, 1e-5, DType.F16, 1e-5);
    private static final Backend REF = new ReferenceBackend();
    private static final Arena ARENA = Arena.ofShared();

    @AfterAll
    static void release() {
        ARENA.close();
    }

    private static GpuBackend gpu() {
        return OpenClTestDevice.required();
    }

    @ParameterizedTest(name = "rows={0} k={1} n={2}")
    @CsvSource({"1, 1001, 77", "33, 300, 515", "70, 97, 33", "129, 288, 768"})
    void gemmMatchesTheReferenceForEveryWeightDtype(int rows, int k, int n) {
        for (DType type : DType.values()) {
            float[] x = TestTensors.random(rows * k, 1);
            HostTensor w = TestTensors.weight(ARENA, type, n, k, 2);
            var op = (java.util.function.Function<Backend, Tensor>) b -> {
                Tensor out = b.allocate("o", rows, n), xt = b.allocate("x", rows, k);
                b.write(xt, 0, x, rows);
                b.matmul(out, xt, b.upload(w), rows);
                return out;
            };
            assertClose(TestTensors.run(REF, op), TestTensors.run(gpu(), op), GEMM_TOLERANCE.get(type), "gemm " + type);
        }
    }

    @Test
    void sixteenBitWeightsWidenExactlyIncludingSubnormalsAndInfinities() {
        short[] f16 = {0x0000, (short) 0x8000, 0x0001, 0x03ff, 0x0400, 0x3c00, (short) 0xc000, 0x7bff, 0x7c00,
                (short) 0xfc00, 0x3555, (short) 0x8001};
        short[] bf16 = {0x0000, (short) 0x8000, 0x0001, 0x3f80, (short) 0xbf80, 0x7f7f, 0x7f80, (short) 0xff80,
                0x4049, 0x0080, 0x3e2a, (short) 0x8071};
        for (DType type : new DType[] {DType.F16, DType.BF16}) {
            short[] bits = type == DType.F16 ? f16 : bf16;
            MemorySegment seg = ARENA.allocate(bits.length * 2L);
            for (int i = 0; i < bits.length; i++) {
                seg.set(HostTensor.I16_LE, 2L * i, bits[i]);
            }
            HostTensor table = new HostTensor("t", type, 1, bits.length, seg);
            var op = (java.util.function.Function<Backend, Tensor>) b -> {
                Tensor out = b.allocate("o", 1, bits.length);
                b.embedding(out, new int[] {0}, b.upload(table));
                return out;
            };
            float[] want = TestTensors.run(REF, op), got = TestTensors.run(gpu(), op);
            for (int i = 0; i < bits.length; i++) {
                assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                        type + " bits 0x" + Integer.toHexString(bits[i] & 0xffff) + " -> " + want[i] + ", got " + got[i]);
            }
        }
    }

    @ParameterizedTest(name = "first position {0}")
    @CsvSource({"0", "4093", "100000"})
    void ropeMatchesAtArbitraryPositionOffsets(int firstPosition) {
        int rows = 19, heads = 3, headSize = 48;
        float[] invFreq = new float[headSize / 2];
        for (int i = 0; i < invFreq.length; i++) {
            invFreq[i] = (float) Math.pow(10000, -2.0 * i / headSize);
        }
        float[] x = TestTensors.random(rows * heads * headSize, 3);
        for (RopeStyle style : RopeStyle.values()) {
            var op = (java.util.function.Function<Backend, Tensor>) b -> {
                Tensor t = b.allocate("x", rows, heads * headSize);
                b.write(t, 0, x, rows);
                b.rope(t, rows, heads, headSize, firstPosition, invFreq, style);
                return t;
            };
            // fp32 sin/cos of angles up to 1e5 rad: a few ulp of the argument's reduction
            assertClose(TestTensors.run(REF, op), TestTensors.run(gpu(), op), firstPosition > 10000 ? 2e-5 : 2e-6, "rope " + style);
        }
    }

    @ParameterizedTest(name = "heads={0} kv={1} keys={2} window={3} keep={4}")
    @CsvSource({"4, 2, 41, 7, 10", "6, 2, 304, 64, 100", "4, 4, 1033, 128, 256", "8, 1, 133, 1, 5"})
    void snapKvScoringAndSelectionMatchTheHost(int nHeads, int nKv, int nKeys, int window, int keep) {
        int sinks = 4, n = nKeys - sinks;
        float[][] sums = new float[nHeads][nKeys];
        SplittableRandom r = new SplittableRandom(nKeys);
        for (float[] row : sums) {
            for (int j = 0; j < nKeys; j++) {
                row[j] = (float) (r.nextDouble() * r.nextDouble() * window);
            }
        }
        for (GqaGrouping grouping : GqaGrouping.values()) {
            boolean strided = grouping == GqaGrouping.STRIDED;
            float[][] scores = gpu().snapKvScores(sums, sinks, n, window, nKv, strided);
            float[][] want = hostScores(sums, sinks, n, window, nKv, grouping);
            for (int g = 0; g < nKv; g++) {
                assertClose(want[g], scores[g], 1e-6, grouping + " scores of KV head " + g);
            }
            int[][] host = new SnapKv(grouping).select(new Selection(n, n - window, keep, nHeads, nKv,
                    candidates(sums, sinks), window));
            int[][] device = gpu().selectSnapKv(sums, sinks, n, window, keep, nKv, strided);
            for (int g = 0; g < nKv; g++) {
                assertArrayEquals(host[g], device[g], grouping + ": KV head " + g + " keeps the same candidates");
            }
        }
    }

    @Test
    void topKBreaksTiesTowardTheEarlierTokenLikeTheHost() {
        int nHeads = 2, nKeys = 4 + 300, window = 16, keep = 37;
        float[][] sums = new float[nHeads][nKeys];
        for (float[] row : sums) {
            java.util.Arrays.fill(row, 0.25f); // every interior candidate ties
        }
        int[][] host = new SnapKv().select(new Selection(300, 300 - window, keep, nHeads, 1, candidates(sums, 4), window));
        int[][] device = gpu().selectSnapKv(sums, 4, 300, window, keep, 1, false);
        assertArrayEquals(host[0], device[0], "ties: earlier tokens first, as TopK.java");
    }

    @ParameterizedTest(name = "rows={0} vocab={1}")
    @CsvSource({"1, 7", "5, 32000", "64, 1000"})
    void lossKernelMatchesTheHostCrossEntropy(int rows, int vocab) {
        float[] logits = TestTensors.random(rows * vocab, 5);
        for (int i = 0; i < logits.length; i++) {
            logits[i] *= 12; // a peaked softmax, as a trained model's
        }
        int[] targets = new int[rows];
        for (int t = 0; t < rows; t++) {
            targets[t] = (t * 7919) % vocab;
        }
        Tensor lt = gpu().allocate("logits", rows, vocab);
        gpu().write(lt, 0, logits, rows);
        double[] got = gpu().crossEntropy(lt, rows, targets);
        for (int t = 0; t < rows; t++) {
            double want = CrossEntropy.of(java.util.Arrays.copyOfRange(logits, t * vocab, (t + 1) * vocab),
                    targets[t]);
            assertEquals(want, got[t], 1e-5 * Math.max(1, Math.abs(want)), "loss of row " + t);
        }
        gpu().free(lt);
    }

    @Test
    void kernelsCompileForEveryProgramOfTheCatalog() {
        for (KernelCatalog.Program p : KernelCatalog.get().programs()) {
            String source = KernelCatalog.resource(p.file());
            assertTrue(source.contains("KERNEL void"), p.file() + " defines kernels");
        }
        assertTrue(gpu().runtime().description().startsWith("OpenCL: "), gpu().runtime().description());
    }

    // ---- references and helpers ----

    /** SnapKv.select's steps 2-4 written out (group sums, avg_pool1d(5), causal-visibility normalization). */
    private static float[][] hostScores(float[][] sums, int first, int n, int window, int nKv, GqaGrouping grouping) {
        int nHeads = sums.length;
        double[][] grouped = new double[nKv][n];
        for (int h = 0; h < nHeads; h++) {
            for (int i = 0; i < n; i++) {
                grouped[grouping.kvHeadOf(h, nHeads, nKv)][i] += sums[h][first + i];
            }
        }
        float[][] out = new float[nKv][n];
        for (int g = 0; g < nKv; g++) {
            for (int i = 0; i < n; i++) {
                double pooled = 0;
                for (int u = Math.max(0, i - 2); u <= Math.min(n - 1, i + 2); u++) {
                    pooled += grouped[g][u];
                }
                pooled /= 5;
                int windowStart = n - window;
                out[g][i] = (float) (pooled / (i >= windowStart ? window - (i - windowStart) : window));
            }
        }
        return out;
    }

    private static float[][] candidates(float[][] sums, int first) {
        float[][] out = new float[sums.length][];
        for (int h = 0; h < sums.length; h++) {
            out[h] = java.util.Arrays.copyOfRange(sums[h], first, sums[h].length);
        }
        return out;
    }
}
