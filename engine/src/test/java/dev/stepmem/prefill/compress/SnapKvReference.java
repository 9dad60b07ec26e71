package dev.stepmem.prefill.compress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An independent, deliberately literal re-statement of the reference SnapKV selection
 * (METHOD.md §4; the authors' read_and_write_memory -> compress_layer -> ConvPruner.get_indices):
 * one explicit tensor and loop nest per PyTorch statement, nothing shared with the
 * implementation but the {@link GqaGrouping} constant that picks the reshape. Batch size 1.
 *
 * <p>Input: the reference's eager map, the attention probabilities of EVERY position's row
 * (sinks, memory, chunk; the sink and memory rows come from zero queries) over ALL keys, sinks
 * included ({@code probs[h][r][key]}, causally masked entries 0); the implementation instead
 * receives the window sums the loop computes.
 */
public final class SnapKvReference {
    private SnapKvReference() {}

    /** Per KV head, the kept candidate indices, ascending. */
    public static int[][] select(double[][][] probs, int nSinks, int nKvHeads, int configuredChunk, int keep,
                          GqaGrouping grouping) {
        double[][] important = importantScores(probs, nSinks, nKvHeads, configuredChunk, grouping);
        int nKeys = important[0].length;
        int[][] out = new int[nKvHeads][];
        for (int k = 0; k < nKvHeads; k++) {
            // if key.shape[1] <= target_len: return key, value   (everything kept)
            // else: indices = topk(important_scores, k=target_len).indices; indices = sort(indices)
            out[k] = nKeys <= keep ? topkSorted(new double[nKeys], nKeys) : topkSorted(important[k], keep);
        }
        return out;
    }

    /** important_scores of get_indices: [nKvHeads][nKeys], the values top-k ranks. */
    static double[][] importantScores(double[][][] probs, int nSinks, int nKvHeads, int configuredChunk,
                                      GqaGrouping grouping) {
        int nHeads = probs.length;
        int rows = probs[0].length;
        int nKeys = probs[0][0].length - nSinks;

        // attention = attention[:, :, :, num_sink_tokens:]          -> (H, R, N)
        double[][][] attention = new double[nHeads][rows][nKeys];
        for (int h = 0; h < nHeads; h++) {
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < nKeys; i++) {
                    attention[h][r][i] = probs[h][r][nSinks + i];
                }
            }
        }
        // GQA: STRIDED is the pruner's literal view(num_groups, num_kv_heads, R, N).sum(dim=0): head h = g * nKv + k;
        //      CONTIGUOUS is view(num_kv_heads, num_groups, R, N).sum(dim=1): head h = k * groups + g.
        int groups = nHeads / nKvHeads;
        double[][][] grouped = new double[nKvHeads][rows][nKeys];
        for (int k = 0; k < nKvHeads; k++) {
            for (int g = 0; g < groups; g++) {
                int h = grouping == GqaGrouping.STRIDED ? g * nKvHeads + k : k * groups + g;
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < nKeys; i++) {
                        grouped[k][r][i] += attention[h][r][i];
                    }
                }
            }
        }
        // chunk_size = min(self.chunk_size, attention.shape[-1])
        int w = Math.min(configuredChunk, nKeys);
        // new_attention_scores = attention[:, :, -self.chunk_size:, :] (the last c rows, all when fewer)
        // accum = new_attention_scores.sum(dim=2)
        int windowRows = Math.min(configuredChunk, rows);
        double[][] accum = new double[nKvHeads][nKeys];
        for (int k = 0; k < nKvHeads; k++) {
            for (int r = rows - windowRows; r < rows; r++) {
                for (int i = 0; i < nKeys; i++) {
                    accum[k][i] += grouped[k][r][i];
                }
            }
        }
        // accum = avg_pool1d(accum, kernel_size=5, stride=1, padding=5 // 2)   (count_include_pad=True)
        int kernel = 5;
        int pad = kernel / 2;
        double[][] pooled = new double[nKvHeads][nKeys];
        for (int k = 0; k < nKvHeads; k++) {
            double[] padded = new double[nKeys + 2 * pad];
            System.arraycopy(accum[k], 0, padded, pad, nKeys);
            for (int i = 0; i < nKeys; i++) {
                double sum = 0;
                for (int t = 0; t < kernel; t++) {
                    sum += padded[i + t];
                }
                pooled[k][i] = sum / kernel;
            }
        }
        // normalization = ones(N) * chunk_size; normalization[-chunk_size:] = chunk_size - arange(chunk_size)
        double[] normalization = new double[nKeys];
        for (int i = 0; i < nKeys; i++) {
            normalization[i] = w;
        }
        for (int j = 0; j < w; j++) {
            normalization[nKeys - w + j] = w - j;
        }
        // important_scores = accum / normalization
        double[][] important = new double[nKvHeads][nKeys];
        for (int k = 0; k < nKvHeads; k++) {
            for (int i = 0; i < nKeys; i++) {
                important[k][i] = pooled[k][i] / normalization[i];
            }
        }
        return important;
    }

    /** torch.topk then torch.sort, ties resolved to the earlier index (the implementation's documented rule). */
    static int[] topkSorted(double[] score, int k) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < score.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> i));
        return order.subList(0, Math.min(k, score.length)).stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
