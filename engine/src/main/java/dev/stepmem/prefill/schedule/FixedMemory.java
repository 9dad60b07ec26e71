package dev.stepmem.prefill.schedule;

/** FM, the baseline: m_i = m_max at every step and layer (METHOD.md §2). */
public record FixedMemory(int mMax) implements MemorySchedule {
    static final String NAME = "fm";

    public FixedMemory {
        Checks.mMax(mMax);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean layerDependent() {
        return false;
    }

    @Override
    public int memoryAfter(int step, int nChunks, int layer) {
        Checks.step(step);
        Checks.nChunks(nChunks);
        Checks.layer(layer);
        return mMax;
    }
}
