package dev.stepmem.profiles;

import dev.stepmem.tensor.DType;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One device as the cost model sees it, read from one profile file (see {@link ProfileLoader}
 * for the format). Rates are peaks from the vendor's datasheet (or, for the CPU host, measured
 * by {@code stepmem calibrate}); {@link Achievable} says what fraction of each the cost model
 * assumes real kernels reach.
 *
 * @param name             the profile's id ("a800-80gb"), unique in a registry
 * @param device           the product's name ("NVIDIA A800 80GB SXM")
 * @param kind             "gpu" or "cpu"
 * @param match            case-insensitive pattern found in the name a real device reports
 * @param totalMemory      the card's memory in bytes
 * @param usableMemory     what a run may hold: total minus the CUDA context / framework reserve
 * @param bf16Tensor       dense bf16 matrix rate with fp32 accumulation, FLOP/s
 * @param fp16Tensor       dense fp16 matrix rate with fp32 accumulation (what PyTorch uses), FLOP/s
 * @param fp32             fp32 rate (non-tensor), FLOP/s
 * @param bandwidth        memory bandwidth, bytes/s
 * @param launchOverhead   fixed cost per op (kernel launch and framework dispatch), seconds
 * @param matmulOverhead   fixed cost per matmul beyond its FLOPs and launch, seconds: what small GEMMs
 *                         lose to packing and hand-off (optional field; 0 = not modeled)
 * @param achievable       the fractions of the peaks the cost model assumes
 * @param sources          field -> where its number comes from
 * @param file             the file it was read from ("builtin:NAME.toml" for packaged ones)
 * @param sha256           sha256 of the file's bytes, hex
 */
public record DeviceProfile(String name, String device, String kind, Pattern match, long totalMemory,
                            long usableMemory, double bf16Tensor, double fp16Tensor, double fp32, double bandwidth,
                            double launchOverhead, double matmulOverhead, Achievable achievable, Map<String, String> sources, String file,
                            String sha256) {

    /**
     * Fractions in (0, 1] of the peak rates that kernels reach, per kind of op.
     *
     * @param matmul         GEMMs (projections, classifier) of the matrix dtype's rate
     * @param flashAttention fused attention (FlashAttention-2 style) of the matrix dtype's rate
     * @param eagerAttention the eager path's two batched products (QK^T, PV) of the matrix dtype's rate
     * @param bandwidth      streaming ops (norms, elementwise, copies, softmax passes) of the bandwidth
     */
    public record Achievable(double matmul, double flashAttention, double eagerAttention, double bandwidth) {
    }

    public DeviceProfile {
        sources = Map.copyOf(sources);
    }

    /** The peak matrix rate for operands of this dtype (fp32 runs at the non-tensor rate). */
    public double matrixRate(DType dtype) {
        return switch (dtype) {
            case BF16 -> bf16Tensor;
            case F16 -> fp16Tensor;
            case F32 -> fp32;
        };
    }

    /** The first 12 hex digits of the file's sha256: enough to tell two versions of a profile apart. */
    public String shortHash() {
        return sha256.substring(0, 12);
    }

    /** Whether a device reporting this name is this profile's device. */
    public boolean matches(String deviceName) {
        return match.matcher(deviceName).find();
    }
}
