package dev.stepmem.prefill.compress;

/** L2 norms of cached keys, per KV head, for {@link KNorm}. */
public final class KeyNorms {
    private KeyNorms() {}

    /**
     * keys [rows, nKvHeads * headSize] row-major (a host copy of the cache rows); returns
     * [nKvHeads][rows], accumulated in double. The cache stores keys before RoPE, which is a
     * rotation of each pair and leaves the norm unchanged, so these are also the rotated keys' norms.
     */
    public static float[][] of(float[] keys, int rows, int nKvHeads, int headSize) {
        int kvDim = nKvHeads * headSize;
        if (keys.length < (long) rows * kvDim) {
            throw new IllegalArgumentException("keys hold " + keys.length + " floats, fewer than rows " + rows
                    + " x kvDim " + kvDim);
        }
        float[][] norms = new float[nKvHeads][rows];
        for (int t = 0; t < rows; t++) {
            for (int g = 0; g < nKvHeads; g++) {
                double sum = 0;
                int at = t * kvDim + g * headSize;
                for (int i = 0; i < headSize; i++) {
                    sum += (double) keys[at + i] * keys[at + i];
                }
                norms[g][t] = (float) Math.sqrt(sum);
            }
        }
        return norms;
    }
}
