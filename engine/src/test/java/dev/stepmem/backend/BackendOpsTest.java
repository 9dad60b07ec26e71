package dev.stepmem.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.cpu.ReferenceBackend;
import dev.stepmem.backend.gpu.GpuBackend;
import dev.stepmem.backend.opencl.OpenClTestDevice;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op of every fast backend against {@link ReferenceBackend} on the same random inputs,
 * at ragged sizes (not multiples of any vector length). Add a backend to {@link #backends()}
 * and it is held to the same standard.
 */
class BackendOpsTest {
    private static final Backend REF = new ReferenceBackend();
    private static final Arena ARENA = Arena.ofShared();

    static List<Backend> backends() {
        List<Backend> all = new java.util.ArrayList<>(List.of(new CpuBackend()));
        OpenClTestDevice.backend().ifPresent(all::add); // PoCL: the GPU kernels, run on the CPU
        return all;
    }

    static Stream<Arguments> backendsAndSizes() {
        return backends().stream().flatMap(b -> Stream.of(
                Arguments.of(b, 1, 8), Arguments.of(b, 3, 48), Arguments.of(b, 7, 130), Arguments.of(b, 17, 288)));
    }

    @AfterAll
    static void release() {
        ARENA.close();
    }

    @ParameterizedTest(name = "{0} rows={1} cols={2}")
    @MethodSource("backendsAndSizes")
    void rmsnormMatches(Backend fast, int rows, int cols) {
        float[] x = TestTensors.random(rows * cols, 1), w = TestTensors.random(cols, 2);
        float[] want = TestTensors.run(REF, b -> {
            Tensor xt = TestTensors.filled(b, rows, cols, x), wt = TestTensors.filled(b, 1, cols, w), out = b.allocate("o", rows, cols);
            b.rmsnorm(out, xt, wt, rows, 1e-5f);
            return out;
        });
        float[] got = TestTensors.run(fast, b -> {
            Tensor xt = TestTensors.filled(b, rows, cols, x), wt = TestTensors.filled(b, 1, cols, w), out = b.allocate("o", rows, cols);
            b.rmsnorm(out, xt, wt, rows, 1e-5f);
            return out;
        });
        assertClose(want, got, 1e-5, "rmsnorm");
    }

    @ParameterizedTest(name = "{0} rows={1} k={2}")
    @MethodSource("backendsAndSizes")
    void matmulMatchesForEveryWeightType(Backend fast, int rows, int k) {
        for (DType type : DType.values()) {
            int n = k / 2 + 5;
            float[] x = TestTensors.random(rows * k, 3);
            HostTensor w = TestTensors.weight(ARENA, type, n, k, 4);
            float[] want = TestTensors.run(REF, b -> {
                Tensor out = b.allocate("o", rows, n);
                b.matmul(out, TestTensors.filled(b, rows, k, x), b.upload(w), rows);
                return out;
            });
            float[] got = TestTensors.run(fast, b -> {
                Tensor out = b.allocate("o", rows, n);
                b.matmul(out, TestTensors.filled(b, rows, k, x), b.upload(w), rows);
                return out;
            });
            assertClose(want, got, 1e-5, "matmul " + type);
        }
    }

    @ParameterizedTest(name = "{0} rows={1} headSize*heads={2}")
    @MethodSource("backendsAndSizes")
    void ropeMatchesForBothStyles(Backend fast, int rows, int cols) {
        int headSize = cols % 4 == 0 ? 4 : 2, heads = cols / headSize;
        float[] invFreq = dev.stepmem.model.Rope.inverseFrequencies(
                new dev.stepmem.model.ModelConfig("t", headSize * heads, 8, 1, heads, heads, 10, 64, 1e-5f,
                        10000, RopeStyle.INTERLEAVED, 0, true), 64);
        for (RopeStyle style : RopeStyle.values()) {
            float[] x = TestTensors.random(rows * cols, 5);
            float[] want = TestTensors.run(REF, b -> {
                Tensor t = TestTensors.filled(b, rows, cols, x);
                b.rope(t, rows, heads, headSize, 11, invFreq, style);
                return t;
            });
            float[] got = TestTensors.run(fast, b -> {
                Tensor t = TestTensors.filled(b, rows, cols, x);
                b.rope(t, rows, heads, headSize, 11, invFreq, style);
                return t;
            });
            assertClose(want, got, 1e-6, "rope " + style);
        }
    }

    @ParameterizedTest(name = "{0} queries={1} headSize={2}")
    @MethodSource("backendsAndSizes")
    void attentionMatchesWithGqaAndCausalOffset(Backend fast, int queries, int requestedHeadSize) {
        int headSize = headSizeFor(fast, requestedHeadSize);
        // 9 cached positions before the chunk; then 300, so the streaming softmax crosses tiles
        for (int cached : new int[] {9, 300}) {
            int nHeads = 4, nKv = 2, keys = queries + cached;
            float[] q = TestTensors.random(queries * nHeads * headSize, 6);
            float[] k = TestTensors.random(keys * nKv * headSize, 7), v = TestTensors.random(keys * nKv * headSize, 8);
            for (int i = 0; i < q.length; i++) {
                q[i] *= 4; // sharper softmax: a wrong running-max rescale would show
            }
            var op = (java.util.function.Function<Backend, Tensor>) b -> {
                Tensor out = b.allocate("o", queries, nHeads * headSize);
                b.attention(out, TestTensors.filled(b, queries, nHeads * headSize, q), TestTensors.filled(b, keys, nKv * headSize, k),
                        TestTensors.filled(b, keys, nKv * headSize, v), queries, keys, nHeads, nKv, headSize);
                return out;
            };
            assertClose(TestTensors.run(REF, op), TestTensors.run(fast, op), 1e-5, "attention after " + cached + " cached keys");
        }
    }

    @ParameterizedTest(name = "{0} queries={1} headSize={2}")
    @MethodSource("backendsAndSizes")
    void eagerAttentionMatchesTheReferenceAndFlash(Backend fast, int queries, int requestedHeadSize) {
        int headSize = headSizeFor(fast, requestedHeadSize);
        int nHeads = 4, nKv = 2, keys = queries + 140, window = Math.max(1, queries / 2);
        float[] q = TestTensors.random(queries * nHeads * headSize, 21);
        float[] k = TestTensors.random(keys * nKv * headSize, 22), v = TestTensors.random(keys * nKv * headSize, 23);
        var probs = (java.util.function.Function<Backend, Tensor>) b -> {
            Tensor p = b.allocate("p", nHeads * queries, keys);
            b.attentionProbabilities(p, TestTensors.filled(b, queries, nHeads * headSize, q), TestTensors.filled(b, keys, nKv * headSize, k),
                    queries, keys, nHeads, nKv, headSize);
            return p;
        };
        float[] wantProbs = TestTensors.run(REF, probs);
        assertClose(wantProbs, TestTensors.run(fast, probs), 1e-5, "attention probabilities");
        for (int h = 0; h < nHeads; h++) { // causal: query t sees keys 0 .. S - T + t, nothing after
            for (int t = 0; t < queries; t++) {
                double rowSum = 0;
                for (int j = 0; j < keys; j++) {
                    float x = wantProbs[(h * queries + t) * keys + j];
                    rowSum += x;
                    if (j > keys - queries + t) {
                        assertEquals(0f, x, "masked key " + j + " of query " + t);
                    }
                }
                assertEquals(1, rowSum, 1e-6, "row " + t + " of head " + h + " sums to 1");
            }
        }
        var apply = (java.util.function.Function<Backend, Tensor>) b -> {
            Tensor out = b.allocate("o", queries, nHeads * headSize);
            b.attentionApply(out, probs.apply(b), TestTensors.filled(b, keys, nKv * headSize, v), queries, keys, nHeads, nKv,
                    headSize);
            return out;
        };
        float[] eager = TestTensors.run(REF, apply);
        assertClose(eager, TestTensors.run(fast, apply), 1e-5, "attention apply");
        var flash = (java.util.function.Function<Backend, Tensor>) b -> {
            Tensor out = b.allocate("o", queries, nHeads * headSize);
            b.attention(out, TestTensors.filled(b, queries, nHeads * headSize, q), TestTensors.filled(b, keys, nKv * headSize, k),
                    TestTensors.filled(b, keys, nKv * headSize, v), queries, keys, nHeads, nKv, headSize);
            return out;
        };
        assertClose(eager, TestTensors.run(REF, flash), 1e-6, "eager = flash");
        float[][] fromScores = REF.attentionWindowScores(TestTensors.filled(REF, queries, nHeads * headSize, q),
                TestTensors.filled(REF, keys, nKv * headSize, k), queries, keys, window, nHeads, nKv, headSize);
        for (Backend b : List.of(REF, fast)) {
            float[][] sums = b.probabilityWindowSums(probs.apply(b), queries, keys, window, nHeads);
            for (int h = 0; h < nHeads; h++) {
                assertClose(fromScores[h], sums[h], 1e-5, b.name() + " window sums of head " + h);
            }
        }
    }

    @ParameterizedTest(name = "{0} rows={1} cols={2}")
    @MethodSource("backendsAndSizes")
    void swigluAddAndEmbeddingMatch(Backend fast, int rows, int cols) {
        float[] g = TestTensors.random(rows * cols, 9), u = TestTensors.random(rows * cols, 10);
        var swiglu = (java.util.function.Function<Backend, Tensor>) b -> {
            Tensor gt = TestTensors.filled(b, rows, cols, g);
            b.swiglu(gt, TestTensors.filled(b, rows, cols, u), rows);
            return gt;
        };
        assertClose(TestTensors.run(REF, swiglu), TestTensors.run(fast, swiglu), 1e-5, "swiglu");
        var add = (java.util.function.Function<Backend, Tensor>) b -> {
            Tensor gt = TestTensors.filled(b, rows, cols, g);
            b.add(gt, TestTensors.filled(b, rows, cols, u), rows);
            return gt;
        };
        assertClose(TestTensors.run(REF, add), TestTensors.run(fast, add), 0, "add");
        HostTensor table = TestTensors.weight(ARENA, DType.BF16, 20, cols, 11);
        int[] tokens = new int[rows];
        for (int i = 0; i < rows; i++) {
            tokens[i] = (i * 7) % 20;
        }
        var emb = (java.util.function.Function<Backend, Tensor>) b -> {
            Tensor out = b.allocate("o", rows, cols);
            b.embedding(out, tokens, b.upload(table));
            return out;
        };
        assertClose(TestTensors.run(REF, emb), TestTensors.run(fast, emb), 0, "embedding");
    }

    @ParameterizedTest(name = "{0} queries={1} headSize={2}")
    @MethodSource("backendsAndSizes")
    void attentionWindowScoresMatchAndEachWindowRowSumsToOne(Backend fast, int queries, int requestedHeadSize) {
        int headSize = headSizeFor(fast, requestedHeadSize);
        int nHeads = 4, nKv = 2, keys = queries + 6, window = Math.max(1, queries / 2);
        float[] q = TestTensors.random(queries * nHeads * headSize, 13), k = TestTensors.random(keys * nKv * headSize, 14);
        float[][] want = REF.attentionWindowScores(TestTensors.filled(REF, queries, nHeads * headSize, q),
                TestTensors.filled(REF, keys, nKv * headSize, k), queries, keys, window, nHeads, nKv, headSize);
        float[][] got = fast.attentionWindowScores(TestTensors.filled(fast, queries, nHeads * headSize, q),
                TestTensors.filled(fast, keys, nKv * headSize, k), queries, keys, window, nHeads, nKv, headSize);
        for (int h = 0; h < nHeads; h++) {
            assertClose(want[h], got[h], 1e-5, "window scores of head " + h);
            double total = 0;
            for (float x : got[h]) {
                total += x;
            }
            assertEquals(window, total, 1e-4, "each window row's probabilities sum to 1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void compactKvKeepsEachHeadsOwnRowsInOrder(Backend fast) {
        int headSize = 3, nKv = 2, rows = 8, cols = nKv * headSize, first = 2;
        float[] k = new float[rows * cols], v = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                k[r * cols + c] = 100 * r + c;     // value names its row and column
                v[r * cols + c] = -(100 * r + c);
            }
        }
        Tensor kt = TestTensors.filled(fast, rows, cols, k), vt = TestTensors.filled(fast, rows, cols, v);
        int[][] keep = {{1, 4, 5}, {0, 2, 5}}; // candidate indices after the first 2 (sink) rows
        fast.compactKv(kt, vt, first, keep, headSize);
        float[] kOut = new float[rows * cols], vOut = new float[rows * cols];
        fast.read(kt, 0, rows, kOut);
        fast.read(vt, 0, rows, vOut);
        for (int g = 0; g < nKv; g++) {
            for (int r = 0; r < 3; r++) {
                for (int i = 0; i < headSize; i++) {
                    int c = g * headSize + i;
                    float want = 100 * (first + keep[g][r]) + c;
                    assertEquals(want, kOut[(first + r) * cols + c], "k row " + (first + r) + " col " + c);
                    assertEquals(-want, vOut[(first + r) * cols + c], "v row " + (first + r) + " col " + c);
                }
            }
        }
        for (int c = 0; c < cols; c++) {
            assertEquals(100 + c, kOut[cols + c], "sink rows are untouched");
        }
        assertThrows(IllegalArgumentException.class,
                () -> fast.compactKv(kt, vt, first, new int[][] {{2, 1}, {0, 1}}, headSize));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void outOfRangeTokenIsRejectedWithItsPosition(Backend fast) {
        HostTensor table = TestTensors.weight(ARENA, DType.F32, 20, 8, 12);
        Tensor out = fast.allocate("o", 2, 8);
        var e = assertThrows(IllegalArgumentException.class,
                () -> fast.embedding(out, new int[] {3, 20}, fast.upload(table)));
        assertTrue(e.getMessage().contains("token id 20 at position 1"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void headSizesBeyondTheGpuKernelsAreRejectedClearly(Backend fast) {
        if (!(fast instanceof GpuBackend)) {
            return; // the CPU backends take any head size
        }
        int hs = GpuBackend.maxHeadSize() + 2;
        Tensor q = fast.allocate("q", 2, hs), k = fast.allocate("k", 2, hs);
        var e = assertThrows(IllegalArgumentException.class,
                () -> fast.attention(fast.allocate("o", 2, hs), q, k, k, 2, 2, 1, 1, hs));
        assertTrue(e.getMessage().contains("head size " + hs), e.getMessage());
    }

    // ---- helpers ----

    /**
     * The GPU kernels hold a head in local memory, up to HEAD_MAX = 128 dimensions (LLaMA's);
     * larger sizes of the list above become other ragged sizes within that limit for them.
     */
    private static int headSizeFor(Backend b, int requested) {
        return b instanceof GpuBackend && requested > GpuBackend.maxHeadSize() ? 100 + requested % 27 : requested;
    }

    /** max |want - got| / max |want| must not exceed tol (0 = exact). */
    static void assertClose(float[] want, float[] got, double tol, String what) {
        assertEquals(want.length, got.length, what + ": lengths");
        double maxDiff = 0, maxAbs = 0;
        for (int i = 0; i < want.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(want[i] - got[i]));
            maxAbs = Math.max(maxAbs, Math.abs(want[i]));
        }
        double rel = maxAbs == 0 ? maxDiff : maxDiff / maxAbs;
        assertTrue(rel <= tol, what + ": relative error " + rel + " > " + tol);
    }
}
