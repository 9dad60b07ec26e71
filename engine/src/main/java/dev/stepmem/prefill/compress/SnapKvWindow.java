package dev.stepmem.prefill.compress;

/**
 * The original SnapKV (FasterDecoding/SnapKV, {@code SnapKVCluster.update_kv}), offered as a
 * variant (METHOD.md §4: "window of the last 32-64 queries, window always kept"), applied at
 * every chunk like the reference variant {@link SnapKv}.
 *
 * <p>With w = min(window, chunkLength) window rows and p = nCandidates - w "prefix" candidates:
 * <ol>
 *   <li>scores: the window rows' summed probabilities of the PREFIX keys only (the original
 *       slices {@code attn_weights[..., -w:, :-w]} before pooling);</li>
 *   <li>GQA: sum over the KV head's contiguous group of query heads (the original runs MHA
 *       models; avg pooling is linear, so pooling per query head then summing is the same);</li>
 *   <li>avg_pool1d(kernel 5, stride 1, padding 2, count_include_pad): the original's default
 *       {@code pooling = 'avgpool'}, over the p prefix candidates as their own sequence, so the
 *       window's scores never leak into the pooled prefix;</li>
 *   <li>NO visibility normalization;</li>
 *   <li>top-(keep - w) among the prefix (ties to the earlier index), then the w window
 *       candidates appended: the window is always kept. The original leaves the top-k in score
 *       order; we sort ascending like every compressor here (METHOD.md §1), since the loop
 *       re-applies RoPE with contiguous positions in stored order.</li>
 * </ol>
 * If keep < w only the last {@code keep} window candidates are kept (the original never meets
 * this case: it requires capacity > window). keep >= nCandidates keeps everything (the original
 * skips compression when the prompt is shorter than its capacity).
 */
public final class SnapKvWindow implements Compressor {
    public static final String NAME = "snapkv-window";
    /** The original's default observation window ({@code window_size = 32} in its config defaults). */
    public static final int DEFAULT_WINDOW = 32;

    private final int window;

    public SnapKvWindow() {
        this(DEFAULT_WINDOW);
    }

    public SnapKvWindow(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("snapkv-window: window must be >= 1 query rows, got " + window);
        }
        this.window = window;
    }

    public int window() {
        return window;
    }

    /** "snapkv-window" for the default window, "snapkv-window:W" otherwise ({@link Compressors#parse} reads both). */
    @Override
    public String name() {
        return window == DEFAULT_WINDOW ? NAME : NAME + ":" + window;
    }

    @Override
    public boolean needsScores() {
        return true;
    }

    /** min(window, chunkCandidates): the chunk's own rows; the configured chunk size plays no role in the original. */
    @Override
    public int windowRows(int chunkCandidates, int nCandidates, int configuredChunk) {
        Windows.checkArgs(chunkCandidates, nCandidates, configuredChunk);
        return Math.min(window, chunkCandidates);
    }

    @Override
    public int[][] select(Selection s) {
        if (s.keepsAll()) {
            return s.allIndices();
        }
        s.requireScores(name());
        int n = s.nCandidates();
        int w = s.windowRows();
        int expected = Math.min(window, s.chunkLength());
        if (w != expected) {
            throw new IllegalArgumentException(name() + " expects windowRows = min(" + window + ", chunk length "
                    + s.chunkLength() + ") = " + expected + ", got " + w);
        }
        if (s.keep() <= w) {
            return Indices.sameForEveryHead(s.nKvHeads(), Indices.range(n - s.keep(), n));
        }
        int prefix = n - w;
        double[][] grouped = GqaGrouping.CONTIGUOUS.sumGroups(s.windowScores(), s.nKvHeads());
        int[][] kept = new int[s.nKvHeads()][];
        for (int kv = 0; kv < kept.length; kv++) {
            double[] pooled = AvgPool.pool(grouped[kv], 0, prefix, SnapKv.POOL_KERNEL);
            int[] top = TopK.ascending(pooled, 0, prefix, s.keep() - w);
            int[] row = new int[s.keep()];
            System.arraycopy(top, 0, row, 0, top.length);
            for (int j = 0; j < w; j++) {
                row[top.length + j] = prefix + j;
            }
            kept[kv] = row;
        }
        return kept;
    }

    @Override
    public String toString() {
        return name();
    }
}
