package dev.stepmem.prefill;

/**
 * What one chunk step did (layer 0's view; per-layer schedules differ in memory per layer).
 *
 * @param chunkTokens    tokens in this chunk
 * @param forwardLength  positions the chunk attended over: sinks + memory held + chunk
 * @param memoryAfter    memory held after compression (sinks excluded)
 * @param selected       whether selection ran (under IM it runs only when the candidates exceed m_i)
 * @param retention      fraction of the new memory that came from the old memory (NaN when not selected)
 * @param nanos          time of the step, compression included, on the backend's clock (modeled on the sim)
 * @param memoryAttention mean attention probability the chunk's queries give each memory token,
 *                       averaged over layers (Fig 1a); NaN unless probed, and at step 0 (no memory)
 */
public record StepRecord(int chunkTokens, int forwardLength, int memoryAfter, boolean selected, double retention,
                         long nanos, double memoryAttention) {
}
