/**
 * The memory schedules and chunk plans of chunked prefill with FM, IM and IMDC (METHOD.md §1-3),
 * as pure functions: no tensors, no model.
 *
 * <ul>
 *   <li>{@link dev.stepmem.prefill.schedule.IncrementalFunction}: the five IM functions m_i(step, n, m_max).</li>
 *   <li>{@link dev.stepmem.prefill.schedule.MemorySchedule}: m_{i,l} for FM, IM, the per-layer
 *       variants (square_sqrt, double_inverse, adaptive) and the fixed incremental ablation; and
 *       whether selection runs at a step.</li>
 *   <li>{@link dev.stepmem.prefill.schedule.ChunkPlan}: standard and IMDC chunk sizes, and the
 *       token count of every step's forward.</li>
 * </ul>
 *
 * <p>Integer arithmetic is the reference's (Python): {@code //} on non-negative ints, float
 * formulas in double with the reference's grouping, {@code int()} truncation. Choices where
 * METHOD.md leaves room, each documented on its class:
 * <ul>
 *   <li>square and sqrt keep the reference's float grouping (rare 1-token differences otherwise);
 *       x^0.5 is {@code Math.sqrt} ({@link dev.stepmem.prefill.schedule.IncrementalFunction}).</li>
 *   <li>"lower layers" are l &lt; nLayers // 2 ({@link dev.stepmem.prefill.schedule.LayerSplitSchedule}).</li>
 *   <li>adaptive: the mean of ratios reported for steps 1..i-1, NaN for "no selection", 0 for a
 *       layer without ratios, softmax in double ({@link dev.stepmem.prefill.schedule.AdaptiveSchedule}).</li>
 *   <li>fixed incremental: m_max // n slots plus one for the first m_max % n chunks, so the
 *       total is m_max ({@link dev.stepmem.prefill.schedule.FixedIncrementalMemory}).</li>
 *   <li>the sinks are the first 4 tokens of chunk 0; forward lengths use nominal m_i, as §3's
 *       examples; {@code memoryKept} gives what the loop really keeps
 *       ({@link dev.stepmem.prefill.schedule.ChunkPlan}).</li>
 *   <li>IMDC accepts only layer-independent IM schedules and refuses a plan with a chunk of
 *       size &lt;= 0.</li>
 * </ul>
 */
package dev.stepmem.prefill.schedule;
