package dev.stepmem.prefill.schedule;

/** The decremental chunk sizes of IMDC (METHOD.md §3), with the positivity check. */
final class DecrementalChunks {
    private DecrementalChunks() {}

    /** Sizes for L tokens in n = ceil(L/c) chunks under IM schedule {@code im}. */
    static int[] sizes(int length, int chunkSize, int n, IncrementalMemory im) {
        if (n == 1) {
            return new int[] {length}; // one chunk of L (the reference returns c_avg = L // 1)
        }
        int cAvg = length / n;
        long[] m = new long[n];
        long sumBeforeLast = 0;
        for (int i = 0; i < n - 1; i++) {
            m[i] = im.memoryAfter(i, n);
            sumBeforeLast += m[i];
        }
        long mHat = sumBeforeLast / (n - 1); // Python //, non-negative
        long[] c = new long[n];
        c[0] = cAvg;
        long total = cAvg;
        for (int i = 1; i < n - 1; i++) {
            c[i] = cAvg + mHat - m[i - 1];
            total += c[i];
        }
        c[n - 1] = length - total; // the last chunk takes the remainder
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (c[i] <= 0) {
                String why = i == n - 1
                        ? "the chunks before it already take " + total + " of the L=" + length + " tokens"
                        : "c_avg + m_hat - m_" + (i - 1) + " = " + cAvg + " + " + mHat + " - " + m[i - 1];
                throw new IllegalArgumentException("IMDC decremental chunk " + i + " of " + n + " would have "
                        + c[i] + " tokens (" + why + "; L=" + length + ", c=" + chunkSize + ", m_max=" + im.mMax()
                        + ", " + im.name() + "): the memory grows by more than an average chunk, "
                        + "use a smaller m_max or a larger c");
            }
            out[i] = (int) c[i]; // positive and summing to L, so each fits an int
        }
        return out;
    }
}
