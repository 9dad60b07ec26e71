package dev.stepmem.backend;

import dev.stepmem.tensor.HostTensor;

/**
 * The operations a LLaMA-family forward pass needs, one implementation per device (Jlama style):
 * {@code ReferenceBackend} (plain loops, the oracle), {@code CpuBackend} (Vector API, all cores),
 * and later OpenCL, CUDA and a simulated device.
 *
 * <p>All activations are fp32. Shapes use T for the rows in use (tokens in the chunk), d for the
 * model width. Every op takes the number of rows to use, which may be less than the tensor's
 * capacity. Ops never allocate: buffers come from {@link #allocate}, so a memory ledger sees
 * every byte.
 */
public interface Backend extends AutoCloseable {

    String name();

    /** Every byte this backend holds, by category (the label up to its first '.'). */
    MemoryLedger ledger();

    /**
     * A zero-filled fp32 activation buffer [rows, cols], charged to the ledger under its label.
     *
     * @throws DeviceOutOfMemoryException past the ledger's capacity (nothing is allocated then)
     */
    Tensor allocate(String label, int rows, int cols);

    /**
     * Makes a weight available on the device (the CPU backends share the mapped memory), charged
     * to the ledger as "weights.NAME" so every device reports memory the same way.
     */
    Tensor upload(HostTensor weight);

    /** Releases a buffer from {@link #allocate} or {@link #upload}. */
    void free(Tensor t);

    /** Host -> device: src (length nRows*cols) into rows [row, row+nRows) of dst. */
    void write(Tensor dst, int row, float[] src, int nRows);

    /** Device -> host: rows [row, row+nRows) of src into dst (length >= nRows*cols). */
    void read(Tensor src, int row, int nRows, float[] dst);

    /** dst[dstRow + i, :] = src[srcRow + i, :] for i < nRows (same cols). */
    void copyRows(Tensor src, int srcRow, Tensor dst, int dstRow, int nRows);

    /** dst[row + i, :] = 0 for i < nRows. */
    void fillZero(Tensor dst, int row, int nRows);

    /** out[t, :] = table[tokens[t], :] widened to fp32. out [T, d], table [V, d]. */
    void embedding(Tensor out, int[] tokens, Tensor table);

    /** out[t, :] = x[t, :] / rms(x[t, :]) * weight. x, out [T, d], weight [1, d]; out may be x. */
    void rmsnorm(Tensor out, Tensor x, Tensor weight, int rows, float eps);

    /** out[T, n] = x[T, k] · w^T, w [n, k] in fp32, bf16 or fp16. */
    void matmul(Tensor out, Tensor x, Tensor w, int rows);

    /**
     * Rotary embedding in place. x [T, nHeads * headSize]; row t is at position firstPosition + t;
     * pair i of each head turns by angle position * invFreq[i], invFreq has headSize/2 entries.
     */
    void rope(Tensor x, int rows, int nHeads, int headSize, int firstPosition, float[] invFreq, RopeStyle style);

    /**
     * Causal attention of T queries over S keys, the queries being the last T positions, in the
     * {@code flash} manner of METHOD.md §8: only the T query rows, nothing of size T x S kept.
     * q, out [T, nHeads * headSize] (q already rotated); k, v [S, nKvHeads * headSize] (k rotated).
     * Query t sees keys 0 .. S - T + t. Query head h reads KV head h / (nHeads / nKvHeads).
     */
    void attention(Tensor out, Tensor q, Tensor k, Tensor v, int nQueries, int nKeys,
                   int nHeads, int nKvHeads, int headSize);

    /**
     * Eager attention, step 1 (METHOD.md §8): materializes the causal softmax probabilities.
     * probs [nHeads * T, S]: row h * T + t holds query t's probabilities under head h over the
     * S keys (same q, k and causal rule as {@link #attention}); keys it cannot see get 0.
     */
    void attentionProbabilities(Tensor probs, Tensor q, Tensor k, int nQueries, int nKeys,
                                int nHeads, int nKvHeads, int headSize);

    /**
     * Eager attention, step 2: out[t, h * hs + i] = sum_j probs[h * T + t, j] * v[j, g * hs + i]
     * with g = h / (nHeads / nKvHeads). out [T, nHeads * hs], v [S, nKvHeads * hs].
     */
    void attentionApply(Tensor out, Tensor probs, Tensor v, int nQueries, int nKeys,
                        int nHeads, int nKvHeads, int headSize);

    /**
     * SnapKV's observation read off materialized probabilities: for each head, the sum of rows
     * [T - windowRows, T) of its block of {@code probs} [nHeads * T, S]. Returns [nHeads][nKeys].
     */
    float[][] probabilityWindowSums(Tensor probs, int nQueries, int nKeys, int windowRows, int nHeads);

    /**
     * SnapKV's observation: for each query head, the sum over the last {@code windowRows} of the
     * T queries of their causal softmax attention probabilities over the S keys (same q, k and
     * causal rule as {@link #attention}). Returns [nHeads][nKeys] on the host; keys a window
     * query cannot see get nothing from it.
     */
    float[][] attentionWindowScores(Tensor q, Tensor k, int nQueries, int nKeys, int windowRows,
                                    int nHeads, int nKvHeads, int headSize);

    /**
     * Compacts a layer's cache in place, independently per KV head: for head g and r < keep,
     * rows firstRow + r of k and v take the head's columns from row firstRow + keep[g][r].
     * Each keep[g] is ascending (so the copy never overwrites a row it still has to read).
     */
    void compactKv(Tensor k, Tensor v, int firstRow, int[][] keep, int headSize);

    /** gate = silu(gate) * up, elementwise over [T, hidden]. */
    void swiglu(Tensor gate, Tensor up, int rows);

    /** x += y over [T, cols]. */
    void add(Tensor x, Tensor y, int rows);

    /**
     * Per-token losses -log softmax(logits[t, :])[targets[t]] for t < rows. logits [>= rows, V].
     * Here each row is read to the host; a GPU computes them where the logits are, so only rows
     * numbers cross to the host.
     */
    default double[] crossEntropy(Tensor logits, int rows, int[] targets) {
        float[] row = new float[logits.cols()];
        double[] out = new double[rows];
        for (int t = 0; t < rows; t++) {
            read(logits, t, 1, row);
            out[t] = CrossEntropy.of(row, targets[t]);
        }
        return out;
    }

    /**
     * The clock TTFT and step times are read from, in nanoseconds; only differences matter. Real
     * devices return wall time (a device with asynchronous queues should wait for its queued work
     * here, so a reading covers everything issued before it); the simulated device returns the
     * time its cost model has charged so far.
     */
    default long nanoTime() {
        return System.nanoTime();
    }

    @Override
    default void close() {
    }
}
