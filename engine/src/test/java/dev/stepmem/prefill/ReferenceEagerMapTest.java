package dev.stepmem.prefill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Tensor;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.cpu.ReferenceBackend;
import dev.stepmem.backend.opencl.OpenClTestDevice;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.prefill.compress.Compressor;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.prefill.compress.GqaGrouping;
import dev.stepmem.prefill.compress.Selection;
import dev.stepmem.prefill.compress.SnapKvReference;
import dev.stepmem.prefill.schedule.ChunkPlan;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SnapKV against the reference's eager map built literally. For every step of an IMDC plan
 * (chunks longer and shorter than c): a query row for every position of [sinks | memory | chunk],
 * ZERO for the sinks and the memory, goes with the keys through the backend's real attention
 * op ({@code attentionProbabilities}), and {@link SnapKvReference} reads the selection off that
 * [heads, S, S] map as the authors' pruner does. The loop's own path ({@link WindowScores}:
 * under eager the window rows of that map, under flash the chunk's rows scored from q and k plus
 * the zero-query rows in closed form) must keep the same candidates, per KV head, on every
 * backend; our earlier chunk-rows-only rule ({@code snapkv-chunk-window}) must not.
 */
class ReferenceEagerMapTest {
    private static final ModelConfig SHAPE = ChunkedPrefillExactnessTest.TINY_GQA; // 4 query heads, 2 KV heads
    private static final int SINKS = PrefillSettings.SINKS, L = 300, C = 32, M = 40;

    private static Backend backend(String name) {
        return switch (name) {
            case "reference" -> new ReferenceBackend();
            case "cpu" -> new CpuBackend();
            default -> OpenClTestDevice.required(); // left out (aborted) without an OpenCL device
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"reference", "cpu", "opencl"})
    void selectionsMatchTheLiteralZeroPaddedMap(String backendName) {
        Backend backend = backend(backendName);
        Compressor snapkv = Compressors.parse("snapkv"), chunkOnly = Compressors.parse("snapkv-chunk-window");
        ChunkPlan plan = new PrefillSettings(Method.IMDC, "linear", snapkv, L, C, M).plan(SHAPE.nLayers());
        int[] sizes = plan.chunkSizes(), kept = plan.memoryKept(SINKS, 0);
        SplittableRandom rnd = new SplittableRandom(21);
        int shorter = 0, longer = 0, oldRuleDiffers = 0;
        for (int i = 1; i < sizes.length; i++) {
            int memory = kept[i - 1], chunk = sizes[i], candidates = memory + chunk;
            int target = plan.schedule().memoryAfter(i, sizes.length, 0);
            if (candidates <= target) {
                continue; // nothing is selected
            }
            shorter += chunk < C ? 1 : 0;
            longer += chunk > C ? 1 : 0;
            Step step = new Step(backend, rnd, SINKS + memory, chunk);
            try {
                int[][] want = SnapKvReference.select(step.literalMap(), SINKS, SHAPE.nKvHeads(), C, target,
                        GqaGrouping.STRIDED); // the pruner's literal sums, the default's
                int w = snapkv.windowRows(chunk, candidates, C);
                String where = backendName + " step " + i + " (chunk " + chunk + ", memory " + memory + ", c " + C + ")";
                assertArrayEquals(want, select(snapkv, step.eager(w), memory, target, w), where + ", eager");
                assertArrayEquals(want, select(snapkv, step.flash(w), memory, target, w), where + ", flash");
                int wOld = chunkOnly.windowRows(chunk, candidates, C);
                if (!Arrays.deepEquals(want, select(chunkOnly, step.flash(wOld), memory, target, wOld))) {
                    oldRuleDiffers++;
                }
            } finally {
                step.close();
            }
        }
        assertTrue(shorter > 0 && longer > 0, "the plan must have chunks shorter (" + shorter + ") and longer ("
                + longer + ") than c: " + Arrays.toString(sizes));
        assertTrue(oldRuleDiffers > 0, "the chunk-rows-only rule must select differently somewhere");
    }

    private static int[][] select(Compressor compressor, float[][] scores, int memory, int target, int w) {
        float[][] candidates = new float[scores.length][];
        for (int h = 0; h < scores.length; h++) {
            candidates[h] = Arrays.copyOfRange(scores[h], SINKS, scores[h].length); // sink columns dropped
        }
        int n = candidates[0].length;
        return compressor.select(new Selection(n, memory, target, SHAPE.nHeads(), SHAPE.nKvHeads(), candidates, w));
    }

    /** One layer-step on a backend: random rotated queries of the chunk and keys of all S positions. */
    private static final class Step {
        private final Backend backend;
        private final int chunk, positions;
        private final Tensor q, k, qAll, map;

        Step(Backend backend, SplittableRandom rnd, int past, int chunk) {
            this.backend = backend;
            this.chunk = chunk;
            this.positions = past + chunk;
            int d = SHAPE.dim();
            float[] queries = gaussian(rnd, chunk * d), keys = gaussian(rnd, positions * SHAPE.kvDim());
            q = backend.allocate("test.q", chunk, d);
            k = backend.allocate("test.k", positions, SHAPE.kvDim());
            qAll = backend.allocate("test.qAll", positions, d);
            map = backend.allocate("test.map", SHAPE.nHeads() * positions, positions);
            backend.write(q, 0, queries, chunk);
            backend.write(k, 0, keys, positions);
            float[] padded = new float[positions * d]; // the sink and memory rows stay zero
            System.arraycopy(queries, 0, padded, past * d, chunk * d);
            backend.write(qAll, 0, padded, positions);
            backend.attentionProbabilities(map, qAll, k, positions, positions, SHAPE.nHeads(), SHAPE.nKvHeads(),
                    SHAPE.headSize());
        }

        /** The map as the reference holds it: [head][row][key] over every position. */
        double[][][] literalMap() {
            float[] flat = new float[SHAPE.nHeads() * positions * positions];
            backend.read(map, 0, SHAPE.nHeads() * positions, flat);
            double[][][] out = new double[SHAPE.nHeads()][positions][positions];
            for (int h = 0; h < out.length; h++) {
                for (int r = 0; r < positions; r++) {
                    for (int j = 0; j < positions; j++) {
                        out[h][r][j] = flat[(h * positions + r) * positions + j];
                    }
                }
            }
            return out;
        }

        float[][] eager(int windowRows) {
            return WindowScores.fromMap(backend, map, positions, windowRows, SHAPE.nHeads());
        }

        float[][] flash(int windowRows) {
            return WindowScores.fromQueries(backend, SHAPE, q, k, chunk, positions, windowRows);
        }

        void close() {
            for (Tensor t : new Tensor[] {q, k, qAll, map}) {
                backend.free(t);
            }
        }

        private static float[] gaussian(SplittableRandom rnd, int n) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) (2 * rnd.nextGaussian());
            }
            return a;
        }
    }
}
