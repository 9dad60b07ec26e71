package dev.stepmem.prefill.schedule;

import java.util.Objects;

/** IM: one incremental function for every layer (METHOD.md §2); IMDC sizes its chunks from it (§3). */
public record IncrementalMemory(IncrementalFunction function, int mMax) implements MemorySchedule {

    public IncrementalMemory {
        Objects.requireNonNull(function, "function");
        Checks.mMax(mMax);
    }

    @Override
    public String name() {
        return function.cliName();
    }

    @Override
    public boolean layerDependent() {
        return false;
    }

    @Override
    public int memoryAfter(int step, int nChunks, int layer) {
        Checks.layer(layer);
        return function.memoryAfter(step, nChunks, mMax);
    }
}
