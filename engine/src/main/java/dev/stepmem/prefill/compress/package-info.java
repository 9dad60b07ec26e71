/**
 * The compressors' selection logic (METHOD.md §1, §4) as pure functions over host arrays: given
 * the candidates [memory ∪ chunk] of one layer (sinks excluded) and, for SnapKV, the window's
 * summed attention probabilities, which candidates each KV head keeps.
 *
 * <ul>
 *   <li>{@link dev.stepmem.prefill.compress.Compressor}, {@link dev.stepmem.prefill.compress.Selection}: the API.</li>
 *   <li>{@link dev.stepmem.prefill.compress.StreamingLlm}: the most recent {@code keep} candidates.</li>
 *   <li>{@link dev.stepmem.prefill.compress.SnapKv}: the paper's reference variant (default), and
 *       its contiguous-GQA and chunk-window variants.</li>
 *   <li>{@link dev.stepmem.prefill.compress.SnapKvWindow}: the original SnapKV (window always kept).</li>
 *   <li>beyond the paper, each class noting its source and what chunked use made us interpret:
 *       {@link dev.stepmem.prefill.compress.H2o}, {@link dev.stepmem.prefill.compress.Tova},
 *       {@link dev.stepmem.prefill.compress.Scissorhands}, {@link dev.stepmem.prefill.compress.KNorm},
 *       {@link dev.stepmem.prefill.compress.SageKv}, {@link dev.stepmem.prefill.compress.PyramidKv} (a per-layer
 *       budget over another compressor) and {@link dev.stepmem.prefill.compress.RandomEviction} (the control);
 *       H2O and Scissorhands carry a per-layer {@link dev.stepmem.prefill.compress.History} across steps;</li>
 *   <li>{@link dev.stepmem.prefill.compress.Compressors#parse}: by name.</li>
 * </ul>
 *
 * <p>Choices where METHOD.md leaves room, each documented on its class:
 * <ul>
 *   <li>ties in top-k go to the earlier index ({@code TopK});</li>
 *   <li>SnapKV's window is the reference's: the last min(c, candidates) rows of its eager map, memory
 *       rows with zero queries; our chunk-rows-only rule is the variant "snapkv-chunk-window"
 *       ({@link dev.stepmem.prefill.compress.ObservationWindow});</li>
 *   <li>GQA sums are the reference pruner's literal strided grouping (query head h to KV head
 *       h % nKvHeads), which reproduces the paper's InternLM2 numbers; the attention's own
 *       contiguous grouping is the variant "snapkv-contiguous-gqa"
 *       ({@link dev.stepmem.prefill.compress.GqaGrouping}); MHA models are unaffected;</li>
 *   <li>scores are accumulated in double from the float inputs;</li>
 *   <li>the original SnapKV pools the prefix (non-window) scores as their own sequence and sorts
 *       its kept indices ascending ({@link dev.stepmem.prefill.compress.SnapKvWindow}).</li>
 * </ul>
 */
package dev.stepmem.prefill.compress;
