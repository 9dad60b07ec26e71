package dev.stepmem.prefill.compress;

/**
 * SnapKV as the paper's reference implementation applies it inside chunked prefill (METHOD.md
 * §4; the authors' {@code ConvPruner}); the default compressor with scores.
 *
 * <p>Per KV head, over the candidates [memory ∪ chunk] (sinks excluded):
 * <ol>
 *   <li>input: {@link Selection#windowScores()}, per query head the summed probabilities of the
 *       window's w rows, the rows of the last w candidate positions (softmax over all keys incl.
 *       sinks, sink columns dropped, no renormalization);</li>
 *   <li>s = sum over the KV head's group of query heads ({@link GqaGrouping}: by default the
 *       reference's strided sums, which reproduce the paper's InternLM2 numbers; irrelevant for
 *       MHA models such as LLaMA-2 and stories15M);</li>
 *   <li>s = avg_pool1d(s, kernel 5, stride 1, zero padding 2, divisor always 5) over the whole
 *       candidate axis ({@link AvgPool});</li>
 *   <li>divide by how many window rows see the key causally: w for candidates before the
 *       window, w - j for the j-th window candidate (j = 0 is the first window row's own key).
 *       Pool FIRST, normalize SECOND: the order of METHOD.md §4 and of the reference code
 *       ({@code avg_pool1d} on the summed scores, then {@code / normalization_scores}); the order
 *       matters because pooling mixes keys with different divisors;</li>
 *   <li>top-{@code keep}, ties to the earlier index, sorted ascending ({@link TopK}).</li>
 * </ol>
 *
 * <p>The window ({@link ObservationWindow}): by default the reference's, w = min(c, nCandidates)
 * rows of its zero-padded eager map, so a chunk shorter than c is observed by its own rows and
 * the last c - s memory rows, whose zero queries attend uniformly over their causal prefix.
 * {@code snapkv-chunk-window} is our own earlier rule, w = min(c, chunk), kept as a named
 * variant: it observes with the chunk's real queries only.
 */
public final class SnapKv implements Compressor {
    public static final String NAME = "snapkv";
    /** The name of the variant that sums GQA query heads as the attention groups them (contiguously). */
    public static final String NAME_CONTIGUOUS_GQA = "snapkv-contiguous-gqa";
    /** The name of the variant whose window is the chunk's own rows ({@link ObservationWindow#CHUNK_ONLY}). */
    public static final String NAME_CHUNK_WINDOW = "snapkv-chunk-window";
    /** avg_pool1d kernel of METHOD.md §4 step 3. */
    public static final int POOL_KERNEL = 5;

    private final GqaGrouping grouping;
    private final ObservationWindow window;

    /** The reproduction default: the reference's strided GQA sums and its window. */
    public SnapKv() {
        this(GqaGrouping.STRIDED);
    }

    /** The reference's window with the given GQA grouping. */
    public SnapKv(GqaGrouping grouping) {
        this(grouping, ObservationWindow.REFERENCE);
    }

    public SnapKv(GqaGrouping grouping, ObservationWindow window) {
        if (grouping == null || window == null) {
            throw new IllegalArgumentException("grouping and window must not be null");
        }
        if (grouping == GqaGrouping.CONTIGUOUS && window == ObservationWindow.CHUNK_ONLY) {
            throw new IllegalArgumentException("the chunk-rows window is offered with the reference's GQA sums only");
        }
        this.grouping = grouping;
        this.window = window;
    }

    public GqaGrouping grouping() {
        return grouping;
    }

    public ObservationWindow window() {
        return window;
    }

    @Override
    public String name() {
        if (window == ObservationWindow.CHUNK_ONLY) {
            return NAME_CHUNK_WINDOW;
        }
        return grouping == GqaGrouping.STRIDED ? NAME : NAME_CONTIGUOUS_GQA;
    }

    @Override
    public boolean needsScores() {
        return true;
    }

    /** min(c, nCandidates) under the reference's window, min(c, chunk) under ours: see {@link ObservationWindow}. */
    @Override
    public int windowRows(int chunkCandidates, int nCandidates, int configuredChunk) {
        Windows.checkArgs(chunkCandidates, nCandidates, configuredChunk);
        return window.rows(chunkCandidates, nCandidates, configuredChunk);
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
                score[i] /= w - (i - windowStart); // the j-th window key is seen by w - j window rows
            }
            for (int i = 0; i < windowStart; i++) {
                score[i] /= w; // keys before the window are seen by all w window rows
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
