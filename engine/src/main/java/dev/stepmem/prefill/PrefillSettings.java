package dev.stepmem.prefill;

import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.prefill.compress.Compressor;
import dev.stepmem.prefill.schedule.ChunkPlan;
import dev.stepmem.prefill.schedule.IncrementalFunction;
import dev.stepmem.prefill.schedule.MemorySchedule;

/**
 * One chunked-prefill configuration, validated before any work starts.
 *
 * @param method     FM, IM or IMDC
 * @param function   IM's schedule: an incremental function (linear, square, sqrt, inverse_convex,
 *                   inverse_concave) or, for IM only, a per-layer one (square_sqrt, double_inverse,
 *                   adaptive) or fixed_incremental; ignored by FM
 * @param compressor how memory is selected (StreamingLLM, SnapKV, ...)
 * @param length     L, input tokens
 * @param chunk      c, the configured chunk size
 * @param memory     m_max, the memory limit (sinks not counted)
 * @param attention  FLASH or EAGER attention (METHOD.md §8)
 */
public record PrefillSettings(Method method, String function, Compressor compressor, int length, int chunk, int memory,
                              AttentionMode attention) {
    public static final int SINKS = ChunkPlan.SINKS;

    /** Settings with FLASH attention. */
    public PrefillSettings(Method method, String function, Compressor compressor, int length, int chunk, int memory) {
        this(method, function, compressor, length, chunk, memory, AttentionMode.FLASH);
    }

    public PrefillSettings {
        if (length < SINKS + 1) {
            throw new IllegalArgumentException("L (input length) must be at least " + (SINKS + 1)
                    + ": 4 attention sinks plus one token, got " + length);
        }
        if (chunk <= 0) {
            throw new IllegalArgumentException("c (chunk size) must be positive, got " + chunk);
        }
        if (memory <= 0) {
            throw new IllegalArgumentException("m_max (memory limit) must be positive, got " + memory);
        }
        if (attention == null) {
            throw new IllegalArgumentException("the attention mode must be given (flash or eager)");
        }
        if (method == Method.IMDC) {
            IncrementalFunction.parse(function); // IMDC is defined for the five layer-independent functions
        }
    }

    /** The memory schedule this configuration runs (the method's, reshaped per layer by PyramidKV). */
    public MemorySchedule schedule(int nLayers) {
        return compressor.budget(methodSchedule(nLayers), nLayers);
    }

    private MemorySchedule methodSchedule(int nLayers) {
        return switch (method) {
            case FM -> MemorySchedule.fm(memory);
            case IM -> MemorySchedule.parse(function, memory, nLayers);
            case IMDC -> MemorySchedule.im(IncrementalFunction.parse(function), memory);
        };
    }

    /** Chunk sizes and memory targets, checked (e.g. IMDC chunks that would be empty are refused). */
    public ChunkPlan plan(int nLayers) {
        MemorySchedule s = schedule(nLayers);
        ChunkPlan plan = method == Method.IMDC ? ChunkPlan.decremental(length, chunk, s) : ChunkPlan.standard(length, chunk, s);
        plan.forwardLengths(SINKS, 0); // validates that the first chunk holds the sinks and a token (any layer)
        return plan;
    }

    /**
     * Refuses forwards longer than the model's trained context when the caller asked to stay
     * within it (the message names the step and the lengths).
     */
    public void checkWithinContext(ModelConfig config) {
        ChunkPlan plan = plan(config.nLayers());
        for (int layer = 0; layer < config.nLayers(); layer++) { // per-layer schedules differ per layer
            int[] lengths = plan.forwardLengths(SINKS, layer);
            for (int i = 0; i < lengths.length; i++) {
                if (lengths[i] > config.contextLength()) {
                    throw new IllegalArgumentException("step " + i + (!plan.schedule().layerDependent() ? "" : " of layer "
                            + layer) + " would attend over " + lengths[i] + " positions (4 sinks + memory + chunk), "
                            + "beyond the model's trained context of " + config.contextLength()
                            + "; lower c or m_max, or allow it");
                }
            }
        }
    }

    @Override
    public String toString() {
        return method.cliName() + (method == Method.FM ? "" : "/" + function) + " " + compressor.name()
                + " L=" + length + " c=" + chunk + " m_max=" + memory + " attention=" + attention.cliName();
    }
}
