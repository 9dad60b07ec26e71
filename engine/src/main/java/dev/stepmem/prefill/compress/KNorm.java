package dev.stepmem.prefill.compress;

/**
 * KNorm (Devoto et al., "A Simple and Effective L2 Norm-Based Strategy for KV Cache Compression",
 * EMNLP 2024): keys with a LOW L2 norm draw high attention, so per KV head keep the keep
 * candidates whose keys have the smallest norm. Needs no attention scores at all, so flash
 * attention runs without the window pass.
 *
 * <p>Inside chunked prefill nothing needs interpreting: the rule looks at each key alone, and
 * memory and chunk candidates compete on the same footing. Ties go to the earlier index. The loop
 * reads the candidate keys to the host for the norms (on a GPU backend, a device-to-host copy
 * of the layer's keys per step).
 */
public final class KNorm implements Compressor {
    public static final String NAME = "knorm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsScores() {
        return false;
    }

    @Override
    public int windowRows(int chunkCandidates, int nCandidates, int configuredChunk) {
        Windows.checkArgs(chunkCandidates, nCandidates, configuredChunk);
        return 0;
    }

    @Override
    public boolean needsKeyNorms() {
        return true;
    }

    /** Without norms there is nothing to rank by. */
    @Override
    public int[][] select(Selection s) {
        return select(s, StepContext.NONE);
    }

    @Override
    public int[][] select(Selection s, StepContext context) {
        if (s.keepsAll()) {
            return s.allIndices();
        }
        float[][] norms = context.keyNorms();
        int n = s.nCandidates();
        if (norms == null || norms.length != s.nKvHeads()) {
            throw new IllegalArgumentException(NAME + " needs the key norms of every KV head ("
                    + s.nKvHeads() + " rows), got " + (norms == null ? "null" : norms.length + " rows"));
        }
        int[][] kept = new int[s.nKvHeads()][];
        for (int g = 0; g < kept.length; g++) {
            if (norms[g].length != n) {
                throw new IllegalArgumentException(NAME + ": KV head " + g + " has " + norms[g].length
                        + " key norms for " + n + " candidates");
            }
            double[] score = new double[n];
            for (int i = 0; i < n; i++) {
                score[i] = -norms[g][i]; // lowest norm first
            }
            kept[g] = TopK.ascending(score, 0, n, s.keep());
        }
        return kept;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
