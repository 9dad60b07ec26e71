package dev.stepmem.prefill.schedule;

import java.util.List;

/**
 * m_{i,l}: the memory size (sinks excluded) after compressing chunk i in layer l, for a prefill
 * of n chunks (METHOD.md §1-2). Step i's forward therefore sees 4 sinks + m_{i-1,l} cached
 * tokens. Every schedule ends at m_max on the last step, so decoding sees 4 + m_max tokens.
 *
 * <p>The schedules are pure functions of (step, n, layer), except {@link AdaptiveSchedule},
 * which also reads the retention ratios its caller has reported.
 */
public sealed interface MemorySchedule
        permits FixedMemory, IncrementalMemory, LayerSplitSchedule, AdaptiveSchedule, FixedIncrementalMemory,
        PyramidSchedule {

    /** Name for CLI and result rows: fm, linear, ..., square_sqrt, double_inverse, adaptive, fixed_incremental. */
    String name();

    /** m_max, the memory limit. */
    int mMax();

    /** True when m_{i,l} differs between layers (then {@link #memoryAfter(int, int)} is refused). */
    boolean layerDependent();

    /**
     * m_{i,l}: memory size after compressing chunk {@code step} of {@code nChunks} in {@code layer}.
     * Steps >= n - 1 give m_max, as in the reference.
     */
    int memoryAfter(int step, int nChunks, int layer);

    /** m_i for a layer-independent schedule. */
    default int memoryAfter(int step, int nChunks) {
        if (layerDependent()) {
            throw new IllegalStateException("the " + name() + " schedule differs per layer: ask memoryAfter(step, nChunks, layer)");
        }
        return memoryAfter(step, nChunks, 0);
    }

    /**
     * Whether compression selects at this step: only when the candidates, |memory ∪ chunk| with
     * the sinks excluded, exceed the target m_{i,l}; otherwise everything is kept (METHOD.md §1).
     * The reference applies this test under every schedule; under FM it changes nothing, since
     * a top-m_max of at most m_max candidates keeps them all in order anyway.
     *
     * @param sizeBefore candidates before compression, sinks excluded
     */
    default boolean selectsAt(int step, int nChunks, int layer, int sizeBefore) {
        return sizeBefore > memoryAfter(step, nChunks, layer);
    }

    /** {@link #selectsAt(int, int, int, int)} for a layer-independent schedule. */
    default boolean selectsAt(int step, int nChunks, int sizeBefore) {
        return sizeBefore > memoryAfter(step, nChunks);
    }

    /**
     * True only for the "fixed incremental" ablation (§1): old memory is frozen and only the new
     * chunk is compressed, into {@link FixedIncrementalMemory#newSlots(int, int)} slots.
     */
    default boolean freezesOldMemory() {
        return false;
    }

    /** FM: m_i = m_max at every step. */
    static FixedMemory fm(int mMax) {
        return new FixedMemory(mMax);
    }

    /** IM with one incremental function for every layer. */
    static IncrementalMemory im(IncrementalFunction fn, int mMax) {
        return new IncrementalMemory(fn, mMax);
    }

    /** Per-layer: lower half (l < nLayers // 2) square, upper half sqrt. */
    static LayerSplitSchedule squareSqrt(int mMax, int nLayers) {
        return new LayerSplitSchedule(LayerSplitSchedule.SQUARE_SQRT, IncrementalFunction.SQUARE,
                IncrementalFunction.SQRT, mMax, nLayers);
    }

    /** Per-layer: lower half (l < nLayers // 2) inverse_convex, upper half inverse_concave. */
    static LayerSplitSchedule doubleInverse(int mMax, int nLayers) {
        return new LayerSplitSchedule(LayerSplitSchedule.DOUBLE_INVERSE, IncrementalFunction.INVERSE_CONVEX,
                IncrementalFunction.INVERSE_CONCAVE, mMax, nLayers);
    }

    /** Per-layer adaptive schedule driven by retention ratios; stateful, one instance per prefill. */
    static AdaptiveSchedule adaptive(int mMax, int nLayers) {
        return new AdaptiveSchedule(mMax, nLayers);
    }

    /** The fixed incremental ablation (§1). */
    static FixedIncrementalMemory fixedIncremental(int mMax) {
        return new FixedIncrementalMemory(mMax);
    }

    /** Every name {@link #parse} accepts. */
    static List<String> names() {
        return List.of(FixedMemory.NAME, "linear", "square", "sqrt", "inverse_convex", "inverse_concave",
                LayerSplitSchedule.SQUARE_SQRT, LayerSplitSchedule.DOUBLE_INVERSE, AdaptiveSchedule.NAME,
                FixedIncrementalMemory.NAME);
    }

    /**
     * Refuses a --function name no method accepts, whatever the method (FM ignores the function,
     * but a typo there is still a typo).
     */
    public static String requireKnownName(String name) {
        if (!names().contains(Checks.normalizeName(name))) {
            throw new IllegalArgumentException("unknown --function '" + name + "'; valid: " + String.join(", ", names()));
        }
        return name;
    }

    /**
     * Parses a CLI name (case-insensitive, hyphens accepted): {@code fm}; an incremental function
     * ({@code linear, square, sqrt, inverse_convex, inverse_concave}) for IM; a per-layer variant
     * ({@code square_sqrt, double_inverse, adaptive}); or {@code fixed_incremental}.
     *
     * @param nLayers the model's layer count (used by the per-layer variants)
     * @throws IllegalArgumentException naming the valid names if {@code name} is unknown
     */
    static MemorySchedule parse(String name, int mMax, int nLayers) {
        Checks.mMax(mMax);
        Checks.nLayers(nLayers);
        String key = Checks.normalizeName(name);
        return switch (key) {
            case FixedMemory.NAME -> fm(mMax);
            case LayerSplitSchedule.SQUARE_SQRT -> squareSqrt(mMax, nLayers);
            case LayerSplitSchedule.DOUBLE_INVERSE -> doubleInverse(mMax, nLayers);
            case AdaptiveSchedule.NAME -> adaptive(mMax, nLayers);
            case FixedIncrementalMemory.NAME -> fixedIncremental(mMax);
            default -> {
                for (IncrementalFunction f : IncrementalFunction.values()) {
                    if (f.cliName().equals(key)) {
                        yield im(f, mMax);
                    }
                }
                throw new IllegalArgumentException("unknown memory schedule '" + name + "'; valid: "
                        + String.join(", ", names()));
            }
        };
    }
}
