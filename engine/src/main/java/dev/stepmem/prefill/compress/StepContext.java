package dev.stepmem.prefill.compress;

/**
 * What the loop tells a compressor beyond the {@link Selection}: where in the run it is, and
 * what the compressor asked for.
 *
 * @param step     the chunk step, from 0
 * @param layer    the layer, from 0
 * @param history  this layer's {@link History} when {@link Compressor#newHistory} gave one, else null
 *                 (also null under the fixed-incremental ablation, whose candidates are the chunk alone)
 * @param keyNorms [nKvHeads][nCandidates]: the L2 norm of each candidate's key per KV head when
 *                 {@link Compressor#needsKeyNorms()}, else null
 */
public record StepContext(int step, int layer, History history, float[][] keyNorms) {

    /** No position, no history, no norms: what {@link Compressor#select(Selection)} stands for. */
    public static final StepContext NONE = new StepContext(0, 0, null, null);

    public StepContext {
        if (step < 0 || layer < 0) {
            throw new IllegalArgumentException("step and layer must be >= 0, got " + step + " and " + layer);
        }
    }
}
