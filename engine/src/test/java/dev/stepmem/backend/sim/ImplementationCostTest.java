package dev.stepmem.backend.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ImplementationProfile;
import dev.stepmem.profiles.ProfileTexts;
import dev.stepmem.tensor.DType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an implementation profile changes in one op's time and in the ledger, by hand. */
class ImplementationCostTest {
    // 100 TFLOPS bf16, 10 TFLOPS fp32, 1000 GB/s, 5 us launch, every device fraction 0.5
    static final DeviceProfile P = ProfileTexts.parse("cost-test", "80 GiB");
    static final ImplementationProfile EFFICIENT = ProfileTexts.implementation("efficient");

    /** The efficient profile with other fractions, passes, ops, dispatch and memory. */
    static ImplementationProfile eager(Map<String, Integer> ops, ImplementationProfile.Memory memory) {
        return new ImplementationProfile("t", "t", true, 20e-6,
                new ImplementationProfile.Fractions(0.5, 0.25, 0.4), new ImplementationProfile.MapPasses(12, 1, 2), ops,
                memory, Map.of(), "t.toml", "0".repeat(64));
    }

    @Test
    void mapPassesRunAtTheImplementationsBandwidthAndDispatchIsPerFrameworkOp() {
        ImplementationProfile impl = eager(Map.of("attentionProbabilities", 5), null);
        Roofline r = new Roofline(P, impl);
        long s = 2052, heads = 32, hs = 128;
        OpCost p = OpCost.eagerProbabilities(s, s, heads, heads, hs, 2, impl.mapPasses().probabilities());
        assertEquals(12 * heads * s * s * 2.0 + 2.0 * s * heads * hs * 2, p.bytes());
        // bytes at 1000 GB/s x 0.5 (device) x 0.25 (implementation); 5 framework ops of 5 us launch each
        assertEquals(p.bytes() / 125e9 + 5 * 5e-6, r.seconds(p, DType.BF16), 1e-12);
        assertEquals(5 * 20e-6, r.dispatchSeconds(p), 1e-15);
        // an op the profile does not list keeps the cost model's launches: one add, 1 launch
        OpCost add = OpCost.elementwise("add", 100, 1e6);
        assertEquals(1e6 / 500e9 + 5e-6, r.seconds(add, DType.F32), 1e-15);
        assertEquals(20e-6, r.dispatchSeconds(add), 1e-15);
        assertEquals(0, new Roofline(P, EFFICIENT).dispatchSeconds(add));
    }

    @Test
    void gemmAndFlashFractionsMultiplyTheDevicesOwn() {
        Roofline r = new Roofline(P, eager(Map.of(), null));
        OpCost mm = OpCost.matmul(1024, 4096, 4096, 2, 2);
        assertEquals(mm.flops() / (100e12 * 0.5 * 0.5) + 5e-6, r.seconds(mm, DType.BF16), 1e-12);
        OpCost fa = OpCost.flashAttention(2052, 2052, 32, 32, 128, 2);
        assertEquals(fa.flops() / (100e12 * 0.5 * 0.4) + 5e-6, r.seconds(fa, DType.BF16), 1e-12);
    }

    @Test
    void aPaddingImplementationRunsAFlashQueryRowPerPosition() {
        ImplementationProfile pads = eager(Map.of(), null);
        SimBackend padded = new SimBackend(P, pads, new MemoryLedger(), SimBackend.Precision.forDevice(P, DType.BF16));
        SimBackend chunkOnly = new SimBackend(P, EFFICIENT, new MemoryLedger(), SimBackend.Precision.forDevice(P,
                DType.BF16));
        for (SimBackend b : new SimBackend[] {padded, chunkOnly}) {
            b.attention(b.allocate("act.o", 256, 64), b.allocate("act.q", 256, 64), b.allocate("kv.k", 1024, 64),
                    b.allocate("kv.v", 1024, 64), 256, 1024, 4, 4, 16);
        }
        // 256 chunk queries over 1024 keys; padded: a query row for each of the 1024 positions
        assertEquals(new Roofline(P, pads).seconds(OpCost.flashAttention(1024, 1024, 4, 4, 16, 2), DType.BF16),
                padded.secondsByOp().get("attention"), 1e-15);
        assertEquals(new Roofline(P, EFFICIENT).seconds(OpCost.flashAttention(256, 1024, 4, 4, 16, 2), DType.BF16),
                chunkOnly.secondsByOp().get("attention"), 1e-15);
        assertEquals(4.0 * 16 * 4 * (1024.0 * 1025 / 2), OpCost.flashAttention(1024, 1024, 4, 4, 16, 2).flops());
    }

    @Test
    void memoryIsChargedPerCategoryWithTheReserveHeldFromTheStart() {
        MemoryLedger ledger = new MemoryLedger();
        SimBackend sim = new SimBackend(P, eager(Map.of(), new ImplementationProfile.Memory(3, 5.5, 2, 1000)), ledger,
                SimBackend.Precision.forDevice(P, DType.BF16));
        assertEquals(1000, ledger.current(), "the reserve");
        sim.allocate("kv.k.0", 10, 8);
        sim.allocate("scores.layer0", 3, 3);
        sim.allocate("act.x", 10, 8);
        assertEquals(1000 + 240 + 50 + 160, ledger.current()); // 80 x 3, ceil(9 x 5.5), 80 x 2
        MemoryLedger cpu = new MemoryLedger();
        new SimBackend(P, EFFICIENT, cpu, SimBackend.Precision.forDevice(P, DType.BF16)).allocate("kv.k.0", 10, 8);
        assertEquals(320, cpu.current(), "efficient: the CPU backends' fp32");
    }
}
