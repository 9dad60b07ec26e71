package dev.stepmem.prefill;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Tensor;
import dev.stepmem.model.ModelConfig;

/**
 * SnapKV's observation for one layer and step: per query head, the summed attention
 * probabilities of the window's rows over all S keys of the forward, [nHeads][S]. The window is
 * the rows of the last w positions (w from {@link dev.stepmem.prefill.compress.Compressor#windowRows}):
 * the chunk's rows, and, when w exceeds the chunk, the memory rows before it with zero queries,
 * which is how the reference code's eager map has them.
 */
final class WindowScores {
    private WindowScores() {
    }

    /** EAGER: the last w rows of the layer's map [nHeads * S, S], whose sink and memory rows have zero queries. */
    static float[][] fromMap(Backend backend, Tensor map, int positions, int windowRows, int nHeads) {
        return backend.probabilityWindowSums(map, positions, positions, windowRows, nHeads);
    }

    /**
     * FLASH: the chunk's window rows scored from q [T, d] and the rotated keys [S, kv], plus the
     * zero-query memory rows without materializing them ({@link #addZeroQueryRows}).
     */
    static float[][] fromQueries(Backend backend, ModelConfig config, Tensor q, Tensor keys, int nQueries,
                                 int nKeys, int windowRows) {
        float[][] sums = backend.attentionWindowScores(q, keys, nQueries, nKeys, Math.min(windowRows, nQueries),
                config.nHeads(), config.nKvHeads(), config.headSize());
        addZeroQueryRows(sums, nKeys - windowRows, nKeys - nQueries);
        return sums;
    }

    /**
     * Adds the rows at positions [from, to) with zero queries to every head's sums: all their
     * scores are 0, so row p's softmax gives each of its causal keys 0..p exactly 1 / (p + 1).
     * Key j therefore gains the sum of 1 / (p + 1) over p in [max(j, from), to), a suffix sum
     * (in double, added once per key).
     */
    static void addZeroQueryRows(float[][] sums, int from, int to) {
        if (from >= to) {
            return;
        }
        double[] gain = new double[to];
        double suffix = 0;
        for (int p = to - 1; p >= 0; p--) {
            if (p >= from) {
                suffix += 1.0 / (p + 1);
            }
            gain[p] = suffix;
        }
        for (float[] head : sums) {
            for (int j = 0; j < to; j++) {
                head[j] += (float) gain[j];
            }
        }
    }
}
