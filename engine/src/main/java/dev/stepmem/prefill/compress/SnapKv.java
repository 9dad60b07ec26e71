package dev.stepmem.prefill.compress;

/**
 * SnapKV as the paper's reference implementation applies it inside chunked prefill (METHOD.md
 * §4; the authors' {@code ConvPruner}); the default compressor with scores.
 *
 * <p>Per KV head, over the candidates [memory ∪ chunk] (sinks excluded):
 * <ol>
 *   <li>input: {@link Selection#windowScores()}, per query head the window rows' summed
 *       probabilities (softmax over all keys incl. sinks, sink columns dropped, no renormalization);</li>
 *   <li>s = sum over the KV head's group of query heads ({@link GqaGrouping}, contiguous by default);</li>
 *   <li>s = avg_pool1d(s, kernel 5, stride 1, zero padding 2, divisor always 5) over the whole
 *       candidate axis ({@link AvgPool});</li>
 *   <li>divide by how many window queries see the key causally: w for candidates before the
 *       window, w - j for the j-th window candidate (j = 0 is the first window query's own key).
 *       Pool FIRST, normalize SECOND: the order of METHOD.md §4 and of the reference code
 *       ({@code avg_pool1d} on the summed scores, then {@code / normalization_scores}); the order
 *       matters because pooling mixes keys with different divisors;</li>
 *   <li>top-{@code keep}, ties to the earlier index, sorted ascending ({@link TopK}).</li>
 * </ol>
 *
 * <p>Window size (METHOD.md §4 step 1 leaves IMDC open): {@code windowRows(chunkLength, c) =
 * min(c, chunkLength)}. A chunk longer than c (IMDC's larger middle chunks) uses its last c rows,
 * as the reference does ({@code attention[:, :, -c:, :]} normalized by c). A chunk shorter than c
 * (a final remainder chunk, IMDC's decreasing tail) uses all its rows and normalizes by its
 * length, so every divisor is exactly the number of summed rows that see the key. The reference
 * differs there: its eager path also computes rows for the memory (zero-padded queries) and would
 * take c rows reaching into them, normalized by c; those rows are an artifact of its padding, not
 * observations of the chunk, so we do not emulate them.
 */
public final class SnapKv implements Compressor {
    public static final String NAME = "snapkv";
    /** The name of the variant with the reference code's literal (strided) GQA grouping. */
    public static final String NAME_STRIDED_GQA = "snapkv-strided-gqa";
    /** avg_pool1d kernel of METHOD.md §4 step 3. */
    public static final int POOL_KERNEL = 5;

    private final GqaGrouping grouping;

    /** The reproduction default: contiguous GQA groups. */
    public SnapKv() {
        this(GqaGrouping.CONTIGUOUS);
    }

    public SnapKv(GqaGrouping grouping) {
        if (grouping == null) {
            throw new IllegalArgumentException("grouping must not be null");
        }
        this.grouping = grouping;
    }

    public GqaGrouping grouping() {
        return grouping;
    }

    @Override
    public String name() {
        return grouping == GqaGrouping.CONTIGUOUS ? NAME : NAME_STRIDED_GQA;
    }

    @Override
    public boolean needsScores() {
        return true;
    }

    /** min(c, chunkLength): see the class comment. */
    @Override
    public int windowRows(int chunkLength, int configuredChunk) {
        Windows.checkArgs(chunkLength, configuredChunk);
        return Math.min(configuredChunk, chunkLength);
    }

    @Override
    public int[][] select(Selection s) {
        if (s.keepsAll()) {
            return s.allIndices();
        }
        s.requireScores(name());
        int n = s.nCandidates();
        int w = s.windowRows();
        int windowStart = n - w;
        double[][] grouped = grouping.sumGroups(s.windowScores(), s.nKvHeads());
        int[][] kept = new int[s.nKvHeads()][];
        for (int kv = 0; kv < kept.length; kv++) {
            double[] score = AvgPool.pool(grouped[kv], 0, n, POOL_KERNEL);
            for (int i = windowStart; i < n; i++) {
                score[i] /= w - (i - windowStart); // the j-th window key is seen by w - j window queries
            }
            for (int i = 0; i < windowStart; i++) {
                score[i] /= w; // keys before the window are seen by all w window queries
            }
            kept[kv] = TopK.ascending(score, 0, n, s.keep());
        }
        return kept;
    }

    @Override
    public String toString() {
        return name();
    }
}
