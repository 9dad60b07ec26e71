package dev.stepmem.prefill.schedule;

/**
 * The "fixed incremental" ablation (METHOD.md §1): old memory is frozen and each new chunk is
 * compressed on its own into a fixed number of slots, appended after the old memory. Worse in the
 * paper; kept for the ablation.
 *
 * <p>Slots: m_max // n per chunk, with the remainder m_max % n handed out one slot each to the
 * first chunks, as the reference does (its {@code split_list_lengths}); so the slots add up to
 * exactly m_max and decoding sees 4 + m_max tokens like every other schedule. Plain m_max // n
 * for every chunk would end below m_max whenever n does not divide m_max.
 *
 * <p>{@link #memoryAfter} is the cumulative slot count (the memory size after step i when every
 * chunk has at least its slots' worth of tokens). {@link #selectsAt(int, int, int, int)} here
 * compares the NEW chunk's candidates (sinks excluded) with its slots, since only the new chunk
 * is compressed. The reference uses standard chunk sizes for this ablation (no IMDC).
 */
public record FixedIncrementalMemory(int mMax) implements MemorySchedule {
    static final String NAME = "fixed_incremental";

    public FixedIncrementalMemory {
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
    public boolean freezesOldMemory() {
        return true;
    }

    /** Slots for chunk {@code step}: m_max // n, plus one for the first m_max % n chunks; 0 past the last. */
    public int newSlots(int step, int nChunks) {
        Checks.step(step);
        Checks.nChunks(nChunks);
        if (step >= nChunks) {
            return 0;
        }
        return mMax / nChunks + (step < mMax % nChunks ? 1 : 0);
    }

    @Override
    public int memoryAfter(int step, int nChunks, int layer) {
        Checks.step(step);
        Checks.nChunks(nChunks);
        Checks.layer(layer);
        int last = Math.min(step, nChunks - 1);
        int base = mMax / nChunks;
        int extra = mMax % nChunks;
        // sum of newSlots(0..last) in closed form
        return base * (last + 1) + Math.min(last + 1, extra);
    }

    /** @param sizeBefore the new chunk's candidates only (sinks excluded): old memory is frozen */
    @Override
    public boolean selectsAt(int step, int nChunks, int layer, int sizeBefore) {
        Checks.layer(layer);
        return sizeBefore > newSlots(step, nChunks);
    }

    /** @param sizeBefore the new chunk's candidates only (sinks excluded): old memory is frozen */
    @Override
    public boolean selectsAt(int step, int nChunks, int sizeBefore) {
        return sizeBefore > newSlots(step, nChunks);
    }
}
