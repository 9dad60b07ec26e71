package dev.stepmem.prefill;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one chunked prefill.
 *
 * @param settings       what ran
 * @param steps          one record per chunk
 * @param firstToken     the greedy first generated token (argmax of the last position's logits)
 * @param lastLogits     the last position's logits [V]
 * @param ttftNanos      time to first token: the whole chunked prefill + choosing the first token, on the
 *                       backend's clock ({@code Backend.nanoTime}: wall time, or modeled time on the sim)
 * @param peakBytes      the memory ledger's peak during the run (weights, activations, KV memory, scores)
 * @param peakByCategory each ledger category's own peak during the run (weights, act, kv, scores, logits);
 *                       they may fall at different times, so they can add up to more than peakBytes
 * @param memoryPerLayer memory held by each layer at the end (sinks excluded)
 * @param memoryOrigins  [layer][kvHead][r]: the input position each final memory row came from,
 *                       ascending (the probe behind the paper's Fig 1b and Fig 6)
 */
public record PrefillResult(PrefillSettings settings, List<StepRecord> steps, int firstToken, float[] lastLogits,
                            long ttftNanos, long peakBytes, Map<String, Long> peakByCategory, int[] memoryPerLayer,
                            int[][][] memoryOrigins) {
    public PrefillResult {
        steps = List.copyOf(steps);
        peakByCategory = Map.copyOf(peakByCategory);
    }

    /** Steps in which the compressor selected (evicted) something. */
    public long selections() {
        return steps.stream().filter(StepRecord::selected).count();
    }

    public double tokensPerSecond() {
        return settings.length() / (ttftNanos / 1e9);
    }
}
