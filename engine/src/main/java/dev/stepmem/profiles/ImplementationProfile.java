package dev.stepmem.profiles;

import java.util.List;
import java.util.Map;

/**
 * How the code being modeled uses a device, beside the {@link DeviceProfile} that says what the
 * device can do: one file per implementation (see {@link ImplementationLoader} for the format).
 * The sim charges each op the work this implementation's code path does and runs it at the
 * device's achievable rates times this profile's fractions.
 *
 * @param name             the profile's id ("efficient", "reference-eager"), unique in a registry
 * @param description      one line: what code it models
 * @param flashPadsMemory  true: fused attention runs a query row for every position of
 *                         [sinks | memory | chunk] (zero rows for the memory), as the eager path does;
 *                         false: for the chunk's rows only
 * @param dispatchOverhead framework time per op (Python and eager dispatch), on top of the device's
 *                         launch overhead, seconds
 * @param fractions        multipliers in (0, 1] on the device profile's achievable fractions
 * @param mapPasses        passes over each element of an eager [heads, S, S] map, counted in
 *                         activation-dtype elements (an fp32 read of a bf16 run's map is 2 passes)
 * @param opsPerCall       framework ops (each a launch and a dispatch) per engine op, by op name; an op
 *                         not listed keeps the cost model's own launch count
 * @param memory           bytes per element the code holds, or null: the CPU backends' ledger (fp32)
 * @param sources          field -> where its number comes from
 * @param file             the file it was read from ("builtin:implementations/NAME.toml" for packaged ones)
 * @param sha256           sha256 of the file's bytes, hex
 */
public record ImplementationProfile(String name, String description, boolean flashPadsMemory, double dispatchOverhead,
                                    Fractions fractions, MapPasses mapPasses, Map<String, Integer> opsPerCall,
                                    Memory memory, Map<String, String> sources, String file, String sha256) {

    /** The engine ops the sim charges, by the names its cost model gives them ({@code [ops]} keys). */
    public static final List<String> OPS = List.of("matmul", "attention", "attentionProbabilities", "attentionApply",
            "probabilityWindowSums", "attentionWindowScores", "compactKv", "rmsnorm", "rope", "swiglu", "add",
            "copyRows", "fillZero", "write", "read", "embedding");

    /**
     * @param matmul            of the device's achievable.matmul, for the GEMMs
     * @param eagerMapBandwidth of the device's achievable.bandwidth, for the passes over eager maps
     * @param flashAttention    of the device's achievable.flash_attention
     */
    public record Fractions(double matmul, double eagerMapBandwidth, double flashAttention) {
    }

    /**
     * @param probabilities QK^T through the softmax (the map written, then each elementwise pass)
     * @param apply         the probabilities x V product
     * @param windowSums    SnapKV's sum over the window rows of the kept map
     */
    public record MapPasses(double probabilities, double apply, double windowSums) {
    }

    /**
     * @param kvBytes         per element of the KV cache buffers ("kv." labels)
     * @param mapBytes        per element of the kept eager maps ("scores." labels)
     * @param activationBytes per element of every other activation buffer
     * @param reserveBytes    held from the start: allocator slack and buffers the engine loop does not have
     */
    public record Memory(double kvBytes, double mapBytes, double activationBytes, long reserveBytes) {
    }

    public ImplementationProfile {
        opsPerCall = Map.copyOf(opsPerCall);
        sources = Map.copyOf(sources);
    }

    /** The first 12 hex digits of the file's sha256. */
    public String shortHash() {
        return sha256.substring(0, 12);
    }
}
