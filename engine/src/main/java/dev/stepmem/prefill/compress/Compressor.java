package dev.stepmem.prefill.compress;

import dev.stepmem.prefill.schedule.MemorySchedule;

/**
 * Chooses, per KV head, which candidate rows of [memory ∪ chunk] stay in memory after a chunk
 * (METHOD.md §1 "per layer: compress its KV (sinks excluded) to target m_i", §4).
 *
 * <p>Implementations are functions of host arrays (the stateful ones also update the
 * {@link History} they are handed): the prefill loop calls {@link #select(Selection, StepContext)}
 * once per layer and step, then gathers K and V with the returned indices. The 4 sink tokens are
 * never candidates; they are kept outside the budget by the loop.
 *
 * <p>Three optional extensions, each a default method the simple compressors ignore:
 * <ul>
 *   <li>state across steps (H2O, Scissorhands): {@link #newHistory} gives a per-layer
 *       {@link History} the loop keeps and hands back in every step's {@link StepContext},
 *       including steps that evict nothing, so the compressor observes every chunk;</li>
 *   <li>key norms (KNorm): {@link #needsKeyNorms} makes the loop read the candidates' keys;</li>
 *   <li>a per-layer budget (PyramidKV): {@link #budget} reshapes the method's memory schedule.</li>
 * </ul>
 */
public interface Compressor {

    /** The name used on the command line and in result rows, e.g. "snapkv"; {@link Compressors#parse} inverts it. */
    String name();

    /** Whether the loop must compute {@link Selection#windowScores()} (SnapKV) or may pass null (StreamingLLM). */
    boolean needsScores();

    /**
     * The observation window w: the loop sums the attention probabilities of the query rows of
     * the last w candidate positions (0 when {@link #needsScores()} is false). Rows of the chunk
     * have their real queries; when w exceeds the chunk, the rows before it are memory rows with
     * zero queries, as in the reference code's eager map ({@link Selection}).
     *
     * @param chunkCandidates this step's chunk less the sinks it carries (the first chunk does), >= 1;
     *                        under IMDC the chunk differs from c
     * @param nCandidates     all candidates the selection ranks (>= chunkCandidates)
     * @param configuredChunk the configured chunk size c, >= 1
     */
    int windowRows(int chunkCandidates, int nCandidates, int configuredChunk);

    /**
     * Per KV head, the candidate indices to keep: {@code int[nKvHeads][min(keep, nCandidates)]},
     * each row strictly ascending (METHOD.md §1: selection keeps the original order) with values in
     * [0, nCandidates). When {@code keep >= nCandidates} every candidate is kept (identity rows).
     * Rows are fresh arrays the caller may modify.
     */
    int[][] select(Selection s);

    /**
     * {@link #select(Selection)} knowing the step, the layer and what the compressor asked for; what
     * the loop calls. The default ignores the context.
     */
    default int[][] select(Selection s, StepContext context) {
        return select(s);
    }

    /** A fresh per-layer history for one run, or null (the default) for a compressor without state. */
    default History newHistory(int nKvHeads) {
        return null;
    }

    /** Whether the loop must pass the candidates' key norms in {@link StepContext#keyNorms()}. */
    default boolean needsKeyNorms() {
        return false;
    }

    /** The memory schedule this compressor runs under: the method's own by default. */
    default MemorySchedule budget(MemorySchedule schedule, int nLayers) {
        return schedule;
    }
}
