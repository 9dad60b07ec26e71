package dev.stepmem.prefill.compress;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The control every comparison needs: per KV head, keep a uniformly random keep-subset of the
 * candidates (memory and chunk alike). Seeded: the subset depends only on (seed, step, layer,
 * KV head), so a run repeats exactly and does not depend on the order layers are compressed in.
 * Needs no attention scores.
 */
public final class RandomEviction implements Compressor {
    public static final String NAME = "random";
    public static final long DEFAULT_SEED = 0;

    private final long seed;

    public RandomEviction(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** "random" for seed 0, "random:SEED" otherwise ({@link Compressors#parse} reads both). */
    @Override
    public String name() {
        return seed == DEFAULT_SEED ? NAME : NAME + ":" + seed;
    }

    @Override
    public boolean needsScores() {
        return false;
    }

    @Override
    public int windowRows(int chunkCandidates, int nCandidates, int configuredChunk) {
        Windows.checkArgs(chunkCandidates, nCandidates, configuredChunk);
        return 0;
    }

    @Override
    public int[][] select(Selection s) {
        return select(s, StepContext.NONE);
    }

    @Override
    public int[][] select(Selection s, StepContext context) {
        if (s.keepsAll()) {
            return s.allIndices();
        }
        int n = s.nCandidates();
        int[][] kept = new int[s.nKvHeads()][];
        for (int g = 0; g < kept.length; g++) {
            SplittableRandom random = new SplittableRandom(mix(seed, context.step(), context.layer(), g));
            int[] pool = Indices.range(0, n);
            for (int i = 0; i < s.keep(); i++) { // partial Fisher-Yates: pool[0, keep) is a uniform subset
                int j = i + random.nextInt(n - i);
                int t = pool[i];
                pool[i] = pool[j];
                pool[j] = t;
            }
            int[] row = Arrays.copyOf(pool, s.keep());
            Arrays.sort(row);
            kept[g] = row;
        }
        return kept;
    }

    private static long mix(long seed, int step, int layer, int kvHead) {
        return seed * 0x9E3779B97F4A7C15L ^ (((long) step << 40) | ((long) layer << 20) | kvHead);
    }

    @Override
    public String toString() {
        return name();
    }
}
