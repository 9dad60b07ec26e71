package dev.stepmem.backend.sim;

/**
 * The work of one op: floating-point operations, bytes moved to and from device memory, and
 * kernel launches, plus which achievable rate its arithmetic runs at. Pure arithmetic on shapes;
 * {@code a} is the bytes of one activation element as the modeled device stores it (4 for fp32,
 * 2 for bf16), {@code w} those of one weight element.
 *
 * <p>Counting conventions (a multiply-add is 2 FLOPs; a tensor read or written once is counted
 * once, caches ignored):
 * <ul>
 *   <li>matmul [T, k] x [n, k]^T: 2·T·n·k FLOPs; the weight read once, x read, out written.
 *   <li>flash attention: 4·hs·heads FLOPs per visible (query, key) pair (QK^T and PV), causal
 *       rows only; K and V read once per tile of {@link #FLASH_QUERY_TILE} queries per query head
 *       (FlashAttention-2's loop order), q read, out written.
 *   <li>eager probabilities: the full [heads, S, S] QK^T as a batched GEMM (2·hs per entry; the
 *       masked half is computed too, as torch.matmul does); the map moved {@code passes} times
 *       (the implementation profile's count: 3 for this engine, the map written by QK^T, then read
 *       and written by one mask + softmax pass).
 *   <li>eager apply: [heads, S, S] x [S, hs] batched GEMM, the map moved {@code passes} times (1).
 *   <li>elementwise ops, norms, RoPE, copies: bandwidth-bound; a few FLOPs per element at the fp32 rate.
 * </ul>
 */
public record OpCost(String op, double flops, double bytes, int launches, Rate rate) {
    /** Query rows per FlashAttention-2 thread block (Br = 128 for head size 128 on A100). */
    static final int FLASH_QUERY_TILE = 128;
    /** The ops whose bytes are passes over an eager [heads, S, S] map. */
    private static final java.util.Set<String> MAP_OPS = java.util.Set.of("attentionProbabilities", "attentionApply",
            "probabilityWindowSums");

    /** Which achievable rate the op's arithmetic runs at. */
    public enum Rate {
        /** Matrix dtype's tensor rate x achievable.matmul. */
        MATMUL,
        /** Matrix dtype's tensor rate x achievable.flash_attention. */
        FLASH_ATTENTION,
        /** Matrix dtype's tensor rate x achievable.eager_attention. */
        EAGER_ATTENTION,
        /** The fp32 peak: elementwise arithmetic, a few FLOPs per element, in practice bound by bytes. */
        ELEMENTWISE
    }

    public static OpCost matmul(long rows, long n, long k, int w, int a) {
        return new OpCost("matmul", 2.0 * rows * n * k, (double) n * k * w + (double) rows * (k + n) * a, 1, Rate.MATMUL);
    }

    /** Visible (query, key) pairs when T queries are the last T of S positions, causally. */
    static double visiblePairs(long queries, long keys) {
        return (double) queries * (keys - queries) + (double) queries * (queries + 1) / 2;
    }

    public static OpCost flashAttention(long queries, long keys, long heads, long kvHeads, long headSize, int a) {
        double tiles = Math.ceil((double) queries / FLASH_QUERY_TILE);
        double kvReads = tiles * heads * keys * headSize * 2.0 * a;
        double qo = 2.0 * queries * heads * headSize * a;
        return new OpCost("attention", 4.0 * headSize * heads * visiblePairs(queries, keys), kvReads + qo, 1,
                Rate.FLASH_ATTENTION);
    }

    public static OpCost eagerProbabilities(long queries, long keys, long heads, long kvHeads, long headSize, int a,
                                            double passes) {
        double map = (double) heads * queries * keys * a;
        double qk = ((double) queries * heads + (double) keys * kvHeads) * headSize * a;
        return new OpCost("attentionProbabilities", 2.0 * headSize * heads * queries * keys,
                passes * map + qk, 3, Rate.EAGER_ATTENTION);
    }

    public static OpCost eagerApply(long queries, long keys, long heads, long kvHeads, long headSize, int a,
                                    double passes) {
        double map = (double) heads * queries * keys * a;
        double vo = ((double) keys * kvHeads + (double) queries * heads) * headSize * a;
        return new OpCost("attentionApply", 2.0 * headSize * heads * queries * keys, passes * map + vo, 1,
                Rate.EAGER_ATTENTION);
    }

    /** SnapKV's window recomputed from q and k (flash mode): QK^T and softmax for the window rows. */
    public static OpCost windowScores(long queries, long keys, long window, long heads, long kvHeads, long headSize, int a) {
        double pairs = visiblePairs(queries, keys) - visiblePairs(queries - window, keys - window);
        double bytes = ((double) window * heads + (double) keys * kvHeads) * headSize * a + (double) heads * keys * 4;
        return new OpCost("attentionWindowScores", 2.0 * headSize * heads * pairs, bytes, 2, Rate.FLASH_ATTENTION);
    }

    /** SnapKV's window read off a kept eager map: window rows of every head summed, the rows moved {@code passes} times. */
    public static OpCost windowSums(long keys, long window, long heads, int a, double passes) {
        return elementwise("probabilityWindowSums", (double) heads * window * keys,
                passes * heads * window * keys * a + (double) heads * keys * 4);
    }

    /** Gathers the kept rows of K and V per KV head into place (torch.gather semantics: every kept row moves). */
    public static OpCost compactKv(long keptRows, long headSize, int a) {
        return elementwise("compactKv", 0, 2.0 * 2.0 * keptRows * headSize * a);
    }

    /** Whether the op's bytes are passes over an eager map (they run at the implementation's map bandwidth). */
    public boolean passesOverMap() {
        return MAP_OPS.contains(op);
    }

    public static OpCost elementwise(String op, double flops, double bytes) {
        return new OpCost(op, flops, bytes, 1, Rate.ELEMENTWISE);
    }
}
