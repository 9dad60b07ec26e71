package dev.stepmem.tokenizer;

/**
 * Applies BPE merges to a token sequence in O(n log n): a doubly linked list of symbols plus a
 * heap of candidate adjacent pairs keyed by (rank, position), with stale entries skipped when
 * popped. It picks exactly what the naive "scan all pairs, merge the best, repeat" loop picks,
 * including ties (leftmost wins), because positions never reorder.
 */
final class BpeMerger {
    /** What merging two adjacent tokens gives, packed by {@link #pack}, or {@link #NONE}. */
    interface Pairs {
        long merge(int left, int right);
    }

    static final long NONE = Long.MAX_VALUE;

    private BpeMerger() {
    }

    /** @param rank lower merges first; @param id the merged token */
    static long pack(int rank, int id) {
        return ((long) rank << 32) | (id & 0xFFFFFFFFL);
    }

    static int rank(long packed) {
        return (int) (packed >> 32);
    }

    static int id(long packed) {
        return (int) packed;
    }

    /** Merges {@code ids} until no adjacent pair has a merge; returns the new sequence. */
    static int[] merge(int[] ids, Pairs pairs) {
        int n = ids.length;
        if (n < 2) {
            return ids.clone();
        }
        int[] tok = ids.clone();
        int[] next = new int[n];
        int[] prev = new int[n];
        boolean[] dead = new boolean[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        LongMinHeap heap = new LongMinHeap();
        for (int i = 0; i + 1 < n; i++) {
            push(heap, pairs, tok, next, i);
        }
        int alive = n;
        while (!heap.isEmpty()) {
            long key = heap.poll();
            int i = (int) key;
            if (dead[i] || next[i] < 0) {
                continue;
            }
            int j = next[i];
            long m = pairs.merge(tok[i], tok[j]);
            // Stale unless the pair now at i still has this rank; an entry with the same
            // (rank, position) as the live pair is interchangeable with it.
            if (m == NONE || rank(m) != (int) (key >> 32)) {
                continue;
            }
            tok[i] = id(m);
            dead[j] = true;
            alive--;
            next[i] = next[j];
            if (next[j] >= 0) {
                prev[next[j]] = i;
            }
            if (prev[i] >= 0) {
                push(heap, pairs, tok, next, prev[i]);
            }
            if (next[i] >= 0) {
                push(heap, pairs, tok, next, i);
            }
        }
        int[] out = new int[alive];
        for (int i = 0, k = 0; i >= 0; i = next[i]) {
            out[k++] = tok[i];
        }
        return out;
    }

    private static void push(LongMinHeap heap, Pairs pairs, int[] tok, int[] next, int i) {
        long m = pairs.merge(tok[i], tok[next[i]]);
        if (m != NONE) {
            heap.add(((long) rank(m) << 32) | i);
        }
    }

    /** Orders float scores so that a higher score gets a lower rank (llama2.c merges the best score). */
    static int rankOfScore(float score) {
        int bits = Float.floatToIntBits(score + 0.0f); // +0.0f folds -0.0 into 0.0: they tie in C too
        int sortable = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return ~sortable;
    }
}
