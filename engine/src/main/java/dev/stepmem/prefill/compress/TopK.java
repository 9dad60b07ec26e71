package dev.stepmem.prefill.compress;

import java.util.Arrays;

/**
 * Top-k by score, returned in ascending index order (METHOD.md §4 step 5: "top-m_i per KV head,
 * indices sorted ascending").
 *
 * <p>Ties: between equal scores the EARLIER index wins. torch.topk leaves tie order unspecified;
 * preferring the earlier (older) token is deterministic and the same on every backend. Scores
 * are compared with {@code >} and {@code ==}, so -0.0 and 0.0 tie. Scores must not be NaN
 * (the {@link Selection} rejects non-finite inputs).
 *
 * <p>Cost O(n log k) with a bounded heap of indices, no boxing: n is m + c (up to ~10^4) per KV
 * head, per layer, per step.
 */
final class TopK {
    private TopK() {}

    /** The k best indices of {@code score[from, to)}, ascending; all of them when k >= to - from. */
    static int[] ascending(double[] score, int from, int to, int k) {
        int n = to - from;
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, got " + k);
        }
        if (k >= n) {
            return Indices.range(from, to);
        }
        if (k == 0) {
            return new int[0];
        }
        // heap[0] is the WORST index kept so far; every parent is worse than its children.
        int[] heap = new int[k];
        for (int i = 0; i < k; i++) {
            heap[i] = from + i;
        }
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(heap, i, score);
        }
        for (int i = from + k; i < to; i++) {
            // i is later than every kept index, so on an equal score it does not displace (earlier wins).
            if (score[i] > score[heap[0]]) {
                heap[0] = i;
                siftDown(heap, 0, score);
            }
        }
        Arrays.sort(heap);
        return heap;
    }

    /** a ranks strictly below b: a lower score, or the same score and a later index. */
    private static boolean worse(int a, int b, double[] score) {
        return score[a] < score[b] || (score[a] == score[b] && a > b);
    }

    private static void siftDown(int[] heap, int at, double[] score) {
        int n = heap.length;
        while (true) {
            int l = 2 * at + 1;
            if (l >= n) {
                return;
            }
            int r = l + 1;
            int worst = (r < n && worse(heap[r], heap[l], score)) ? r : l;
            if (!worse(heap[worst], heap[at], score)) {
                return;
            }
            int t = heap[at];
            heap[at] = heap[worst];
            heap[worst] = t;
            at = worst;
        }
    }
}
