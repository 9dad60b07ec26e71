package dev.stepmem.prefill.compress;

/**
 * A literal re-statement of the original SnapKV's {@code SnapKVCluster.update_kv}
 * (FasterDecoding/SnapKV) on the same inputs as {@link SnapKvReference}, sinks dropped first.
 * Per query head: {@code attn_weights[..., -w:, :-w].sum(dim=-2)}, the avg_pool1d window sums
 * (kernel 5, padding 2), and only then the GQA group sum (pooling per head, as the original does,
 * checks that the implementation's sum-then-pool is equivalent); top-(keep - w) of the prefix,
 * sorted, then the window.
 */
final class SnapKvOriginalReference {
    private SnapKvOriginalReference() {}

    static int[][] select(double[][][] probs, int nSinks, int nKvHeads, int window, int keep) {
        int nHeads = probs.length;
        int rows = probs[0].length;
        int nKeys = probs[0][0].length - nSinks;
        int w = Math.min(window, rows);
        int[][] out = new int[nKvHeads][];
        if (nKeys <= keep) {
            for (int k = 0; k < nKvHeads; k++) {
                out[k] = SnapKvReference.topkSorted(new double[nKeys], nKeys);
            }
            return out;
        }
        if (keep <= w) { // not reachable in the original (capacity > window); the implementation's documented rule
            for (int k = 0; k < nKvHeads; k++) {
                out[k] = new int[keep];
                for (int j = 0; j < keep; j++) {
                    out[k][j] = nKeys - keep + j;
                }
            }
            return out;
        }
        int prefix = nKeys - w;
        // attn_weights_sum = attn_weights[:, :, -w:, :-w].sum(dim=-2)   (sink columns already dropped)
        double[][] sum = new double[nHeads][prefix];
        for (int h = 0; h < nHeads; h++) {
            for (int r = rows - w; r < rows; r++) {
                for (int i = 0; i < prefix; i++) {
                    sum[h][i] += probs[h][r][nSinks + i];
                }
            }
        }
        // attn_cache = F.avg_pool1d(attn_weights_sum, kernel_size=5, padding=5//2, stride=1): the window sums here,
        // the division by 5 after the group sum below (avg pooling is linear; dividing once keeps the test's
        // quantized inputs exact, so the comparison can demand identical indices even on ties)
        double[][] cache = new double[nHeads][prefix];
        for (int h = 0; h < nHeads; h++) {
            double[] padded = new double[prefix + 4];
            System.arraycopy(sum[h], 0, padded, 2, prefix);
            for (int i = 0; i < prefix; i++) {
                cache[h][i] = padded[i] + padded[i + 1] + padded[i + 2] + padded[i + 3] + padded[i + 4];
            }
        }
        // GQA group sum (contiguous: head h -> KV head h / groups), then the pooling's / 5
        int groups = nHeads / nKvHeads;
        for (int k = 0; k < nKvHeads; k++) {
            double[] score = new double[prefix];
            for (int g = 0; g < groups; g++) {
                for (int i = 0; i < prefix; i++) {
                    score[i] += cache[k * groups + g][i];
                }
            }
            for (int i = 0; i < prefix; i++) {
                score[i] /= 5;
            }
            // indices = attn_cache.topk(max_capacity_prompt - window_size).indices; then cat with the window
            int[] top = SnapKvReference.topkSorted(score, keep - w);
            out[k] = new int[keep];
            System.arraycopy(top, 0, out[k], 0, top.length);
            for (int j = 0; j < w; j++) {
                out[k][top.length + j] = prefix + j;
            }
        }
        return out;
    }
}
