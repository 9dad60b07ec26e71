package dev.stepmem.backend.sim;

import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ImplementationProfile;
import dev.stepmem.tensor.DType;

/**
 * The time of one op on a profile's device as one implementation runs it: max(FLOPs / achievable
 * rate, bytes / achievable bandwidth) + launches x launch overhead, plus the device profile's fixed
 * per-matmul overhead for matmuls (small GEMMs fall short of the large-GEMM rate by about a
 * constant time per call on the CPU). Matrix work runs at its operands' rate (bf16 at the bf16
 * tensor rate, fp32 at the fp32 rate) times the op class's achievable fraction, times the
 * implementation's fraction for GEMMs and fused attention; passes over eager maps at the
 * achievable bandwidth times the implementation's map bandwidth; elementwise arithmetic at the
 * fp32 peak. The implementation's framework dispatch is charged apart ({@link #dispatchSeconds}).
 */
public record Roofline(DeviceProfile profile, ImplementationProfile implementation) {

    /** @param operands the dtype of the op's matrix operands (the weight's for a matmul) */
    public double seconds(OpCost c, DType operands) {
        DeviceProfile.Achievable f = profile.achievable();
        ImplementationProfile.Fractions impl = implementation.fractions();
        double tensor = profile.matrixRate(operands);
        double rate = switch (c.rate()) {
            case MATMUL -> tensor * f.matmul() * impl.matmul();
            case FLASH_ATTENTION -> tensor * f.flashAttention() * impl.flashAttention();
            case EAGER_ATTENTION -> tensor * f.eagerAttention();
            case ELEMENTWISE -> profile.fp32();
        };
        double compute = c.flops() / rate;
        double bandwidth = profile.bandwidth() * f.bandwidth() * (c.passesOverMap() ? impl.eagerMapBandwidth() : 1);
        double memory = c.bytes() / bandwidth;
        double fixed = launches(c) * profile.launchOverhead()
                + (c.rate() == OpCost.Rate.MATMUL ? profile.matmulOverhead() : 0);
        return Math.max(compute, memory) + fixed;
    }

    /** The implementation's framework time for the op: its ops (launches) x dispatch overhead. */
    public double dispatchSeconds(OpCost c) {
        return launches(c) * implementation.dispatchOverhead();
    }

    /** Kernel launches: the implementation's framework ops for this op, else the cost model's count. */
    private int launches(OpCost c) {
        return implementation.opsPerCall().getOrDefault(c.op(), c.launches());
    }
}
