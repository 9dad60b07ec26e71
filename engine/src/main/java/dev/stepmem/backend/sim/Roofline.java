package dev.stepmem.backend.sim;

import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.tensor.DType;

/**
 * The time of one op on a profile's device: max(FLOPs / achievable rate, bytes / achievable
 * bandwidth) + launches x launch overhead (ARCHITECTURE.md), plus the profile's fixed
 * per-matmul overhead for matmuls (small GEMMs fall short of the large-GEMM rate by about a
 * constant time per call on the CPU). Matrix work runs at its operands'
 * rate (bf16 at the bf16 tensor rate, fp32 at the fp32 rate) times the op class's achievable
 * fraction; elementwise arithmetic at the fp32 peak.
 */
public record Roofline(DeviceProfile profile) {

    /** @param operands the dtype of the op's matrix operands (the weight's for a matmul) */
    public double seconds(OpCost c, DType operands) {
        DeviceProfile.Achievable f = profile.achievable();
        double tensor = profile.matrixRate(operands);
        double rate = switch (c.rate()) {
            case MATMUL -> tensor * f.matmul();
            case FLASH_ATTENTION -> tensor * f.flashAttention();
            case EAGER_ATTENTION -> tensor * f.eagerAttention();
            case ELEMENTWISE -> profile.fp32();
        };
        double compute = c.flops() / rate;
        double memory = c.bytes() / (profile.bandwidth() * f.bandwidth());
        double fixed = c.launches() * profile.launchOverhead() + (c.rate() == OpCost.Rate.MATMUL ? profile.matmulOverhead() : 0);
        return Math.max(compute, memory) + fixed;
    }
}
