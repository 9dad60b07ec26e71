package dev.stepmem.prefill.compress;

import dev.stepmem.prefill.schedule.MemorySchedule;
import dev.stepmem.prefill.schedule.PyramidSchedule;

/**
 * PyramidKV (Cai et al., 2024): another compressor's selection under a pyramid-shaped per-layer
 * budget ({@link PyramidSchedule}: lower layers keep more, upper layers less). The original
 * selects with SnapKV's window scores, so plain "pyramidkv" wraps {@link SnapKv};
 * "pyramidkv:NAME" wraps any other compressor. Selection, scores, state and norms are the inner
 * compressor's; only {@link #budget} differs, so it combines with FM, IM and IMDC like any schedule.
 */
public final class PyramidKv implements Compressor {
    public static final String NAME = "pyramidkv";

    private final Compressor inner;

    public PyramidKv(Compressor inner) {
        if (inner == null || inner instanceof PyramidKv) {
            throw new IllegalArgumentException("pyramidkv wraps one compressor that is not itself pyramidkv");
        }
        this.inner = inner;
    }

    public Compressor inner() {
        return inner;
    }

    /** "pyramidkv" over SnapKV, "pyramidkv:NAME" over another ({@link Compressors#parse} reads both). */
    @Override
    public String name() {
        return inner.name().equals(SnapKv.NAME) ? NAME : NAME + ":" + inner.name();
    }

    @Override
    public MemorySchedule budget(MemorySchedule schedule, int nLayers) {
        return new PyramidSchedule(inner.budget(schedule, nLayers), nLayers, PyramidSchedule.DEFAULT_BETA);
    }

    @Override
    public boolean needsScores() {
        return inner.needsScores();
    }

    @Override
    public int windowRows(int chunkCandidates, int nCandidates, int configuredChunk) {
        return inner.windowRows(chunkCandidates, nCandidates, configuredChunk);
    }

    @Override
    public int[][] select(Selection s) {
        return inner.select(s);
    }

    @Override
    public int[][] select(Selection s, StepContext context) {
        return inner.select(s, context);
    }

    @Override
    public History newHistory(int nKvHeads) {
        return inner.newHistory(nKvHeads);
    }

    @Override
    public boolean needsKeyNorms() {
        return inner.needsKeyNorms();
    }

    @Override
    public String toString() {
        return name();
    }
}
