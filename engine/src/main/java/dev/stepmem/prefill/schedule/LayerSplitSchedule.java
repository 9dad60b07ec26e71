package dev.stepmem.prefill.schedule;

import java.util.Objects;

/**
 * A per-layer IM variant with one incremental function for the lower layers and another for the
 * upper ones (METHOD.md §2): square_sqrt and double_inverse. "Lower" is l < nLayers // 2 (integer
 * division, as the reference's {@code layer_idx < num_layers // 2}; with an odd count the middle
 * layer is upper).
 */
public record LayerSplitSchedule(String name, IncrementalFunction lower, IncrementalFunction upper,
                                 int mMax, int nLayers) implements MemorySchedule {
    static final String SQUARE_SQRT = "square_sqrt";
    static final String DOUBLE_INVERSE = "double_inverse";

    public LayerSplitSchedule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lower, "lower");
        Objects.requireNonNull(upper, "upper");
        Checks.mMax(mMax);
        Checks.nLayers(nLayers);
    }

    @Override
    public boolean layerDependent() {
        return true;
    }

    /** Whether {@code layer} is in the lower half. */
    public boolean isLower(int layer) {
        return Checks.layer(layer, nLayers) < nLayers / 2;
    }

    @Override
    public int memoryAfter(int step, int nChunks, int layer) {
        return (isLower(layer) ? lower : upper).memoryAfter(step, nChunks, mMax);
    }
}
