package dev.stepmem.prefill.compress;

/**
 * One layer's selection problem after one chunk (METHOD.md §1, §4).
 *
 * <p>Candidates are [memory ∪ chunk] with the sinks excluded: indices [0, nMemory) are the old
 * memory in its stored order, then the chunk's tokens in order. In the forward the candidates
 * sit at contiguous positions after the sinks, so the window's rows (the last
 * {@code windowRows} positions) are the chunk's last rows and, when the window is longer than
 * the chunk, the memory rows before it.
 *
 * <p>{@code windowScores[h][i]}: for query head h, the SUM over the window's query rows of the
 * softmax probability of candidate key i, where the softmax is normalized over ALL keys
 * (sinks included) and the sink columns are then dropped without renormalizing. Null when the
 * compressor does not need scores. The array is not copied (it can be 32 x 10^4 floats per layer)
 * and compressors never modify it; for the same reason equals/hashCode compare it by reference.
 *
 * @param nCandidates  |memory ∪ chunk|, >= 0
 * @param nMemory      how many leading candidates are old memory, in [0, nCandidates]
 * @param keep         the memory target m_i, >= 0; keep >= nCandidates keeps everything
 * @param nHeads       query heads, >= 1, a multiple of nKvHeads
 * @param nKvHeads     KV heads, >= 1 (= nHeads for MHA)
 * @param windowScores [nHeads][nCandidates], finite, or null
 * @param windowRows   w: the number of query rows summed, those of the last w candidate
 *                     positions (chunk rows with their queries; memory rows, if w exceeds the
 *                     chunk, with zero queries as in the reference's eager map), in
 *                     [0, nCandidates]; >= 1 when windowScores is given
 */
public record Selection(int nCandidates, int nMemory, int keep, int nHeads, int nKvHeads,
                        float[][] windowScores, int windowRows) {

    public Selection {
        if (nCandidates < 0) {
            throw new IllegalArgumentException("nCandidates must be >= 0, got " + nCandidates);
        }
        if (nMemory < 0 || nMemory > nCandidates) {
            throw new IllegalArgumentException("nMemory (old memory candidates) must be in [0, nCandidates = "
                    + nCandidates + "], got " + nMemory);
        }
        if (keep < 0) {
            throw new IllegalArgumentException("keep (memory target m_i) must be >= 0, got " + keep);
        }
        if (nHeads < 1 || nKvHeads < 1) {
            throw new IllegalArgumentException("nHeads and nKvHeads must be >= 1, got nHeads = " + nHeads
                    + ", nKvHeads = " + nKvHeads);
        }
        if (nHeads % nKvHeads != 0) {
            throw new IllegalArgumentException("nHeads (" + nHeads + ") must be a multiple of nKvHeads ("
                    + nKvHeads + ") for grouped-query attention");
        }
        if (windowRows < 0) {
            throw new IllegalArgumentException("windowRows must be >= 0, got " + windowRows);
        }
        if (windowRows > nCandidates) {
            throw new IllegalArgumentException("windowRows (" + windowRows + ") is larger than nCandidates ("
                    + nCandidates + "): the window's rows are candidate positions");
        }
        if (windowScores != null) {
            checkScores(windowScores, nHeads, nCandidates);
            if (windowRows < 1) {
                throw new IllegalArgumentException("windowScores are given but windowRows is 0: a window "
                        + "must have at least one query row");
            }
        }
    }

    private static void checkScores(float[][] scores, int nHeads, int nCandidates) {
        if (scores.length != nHeads) {
            throw new IllegalArgumentException("windowScores must have nHeads = " + nHeads
                    + " rows (one per query head), got " + scores.length);
        }
        for (int h = 0; h < nHeads; h++) {
            float[] row = scores[h];
            if (row == null || row.length != nCandidates) {
                throw new IllegalArgumentException("windowScores[" + h + "] must have nCandidates = " + nCandidates
                        + " entries, got " + (row == null ? "null" : row.length));
            }
            for (int i = 0; i < nCandidates; i++) {
                if (!Float.isFinite(row[i])) {
                    throw new IllegalArgumentException("windowScores[" + h + "][" + i + "] is not finite: " + row[i]);
                }
            }
        }
    }

    /** A selection for compressors that need no scores (StreamingLLM): windowScores null, windowRows 0. */
    public static Selection withoutScores(int nCandidates, int nMemory, int keep, int nHeads, int nKvHeads) {
        return new Selection(nCandidates, nMemory, keep, nHeads, nKvHeads, null, 0);
    }

    /** The chunk's length: candidates after the old memory. */
    public int chunkLength() {
        return nCandidates - nMemory;
    }

    /** Query heads per KV head. */
    public int groupSize() {
        return nHeads / nKvHeads;
    }

    /** True when the target is not below the candidate count, so nothing is evicted. */
    public boolean keepsAll() {
        return keep >= nCandidates;
    }

    /** Every candidate for every KV head: fresh identity rows [0, 1, ..., nCandidates - 1]. */
    public int[][] allIndices() {
        int[][] rows = new int[nKvHeads][];
        for (int k = 0; k < nKvHeads; k++) {
            rows[k] = Indices.range(0, nCandidates);
        }
        return rows;
    }

    /** Fails with a message naming the compressor when it needs scores and has none. */
    void requireScores(String compressor) {
        if (windowScores == null) {
            throw new IllegalArgumentException(compressor + " needs windowScores (the loop must compute the "
                    + "window's attention probabilities), got null");
        }
    }
}
