package dev.stepmem.backend.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ProfileTexts;
import dev.stepmem.tensor.DType;
import org.junit.jupiter.api.Test;

/** FLOPs, bytes and times of single ops, computed by hand. */
class OpCostTest {
    // the test profile: 100 TFLOPS bf16, 10 TFLOPS fp32, 1000 GB/s, 5 us launch, every fraction 0.5
    static final DeviceProfile P = ProfileTexts.parse("cost-test", "80 GiB");
    static final Roofline R = new Roofline(P, ProfileTexts.implementation("efficient"));

    @Test
    void matmulOfA7bProjectionIsComputeBound() {
        // [1024, 4096] x [4096, 4096]^T, bf16 weights and activations
        OpCost c = OpCost.matmul(1024, 4096, 4096, 2, 2);
        assertEquals(2.0 * 1024 * 4096 * 4096, c.flops());                           // 34.36 GFLOP
        assertEquals(4096.0 * 4096 * 2 + 1024.0 * (4096 + 4096) * 2, c.bytes());     // 33.55 MB + 16.8 MB
        // compute 34.36e9 / 50e12 = 687.2 us > memory 50.3e6 / 500e9 = 100.7 us; + 5 us launch
        assertEquals(2.0 * 1024 * 4096 * 4096 / 50e12 + 5e-6, R.seconds(c, DType.BF16), 1e-12);
        // fp32 weights run at the fp32 rate: 34.36e9 / 5e12
        assertEquals(2.0 * 1024 * 4096 * 4096 / 5e12 + 5e-6, R.seconds(OpCost.matmul(1024, 4096, 4096, 4, 4), DType.F32), 1e-12);
    }

    @Test
    void theMatmulOverheadIsChargedToMatmulsOnly() {
        DeviceProfile p = ProfileTexts.parse("cost-test", "80 GiB");
        DeviceProfile withOverhead = new DeviceProfile(p.name(), p.device(), p.kind(), p.match(), p.totalMemory(),
                p.usableMemory(), p.bf16Tensor(), p.fp16Tensor(), p.fp32(), p.bandwidth(), p.launchOverhead(), 400e-6,
                p.achievable(), p.sources(), p.file(), p.sha256());
        Roofline r = new Roofline(withOverhead, ProfileTexts.implementation("efficient"));
        OpCost matmul = OpCost.matmul(128, 288, 288, 4, 4);
        assertEquals(R.seconds(matmul, DType.F32) + 400e-6, r.seconds(matmul, DType.F32), 1e-15);
        OpCost add = OpCost.elementwise("add", 128 * 288, 128 * 288 * 12.0);
        assertEquals(R.seconds(add, DType.F32), r.seconds(add, DType.F32), 1e-15);
    }

    @Test
    void decodeMatmulIsBandwidthBound() {
        OpCost c = OpCost.matmul(1, 4096, 4096, 2, 2);
        double bytes = 4096.0 * 4096 * 2 + 8192 * 2;
        assertEquals(bytes / 500e9 + 5e-6, R.seconds(c, DType.BF16), 1e-12);
    }

    @Test
    void flashAttentionCountsCausalPairsAndTiles() {
        // T = 4 queries, the last 4 of S = 6 keys: rows see 3, 4, 5, 6 keys = 18 pairs
        assertEquals(18.0, OpCost.visiblePairs(4, 6));
        OpCost c = OpCost.flashAttention(4, 6, 2, 1, 8, 2);
        assertEquals(4.0 * 8 * 2 * 18, c.flops());
        // one query tile: K and V (6 x 8 each) per query head, 2 bytes; q and out 4 x 16
        assertEquals(1 * 2 * 6 * 8 * 2.0 * 2 + 2.0 * 4 * 2 * 8 * 2, c.bytes());
        // 300 queries = 3 tiles of 128
        assertEquals(3 * 32 * 2052 * 128 * 2.0 * 2 + 2.0 * 300 * 32 * 128 * 2,
                OpCost.flashAttention(300, 2052, 32, 32, 128, 2).bytes());
    }

    @Test
    void eagerAttentionMovesTheMapThreeTimesThenOnce() {
        long s = 2052, heads = 32, hs = 128;
        OpCost p = OpCost.eagerProbabilities(s, s, heads, heads, hs, 2, 3);
        double map = heads * s * s * 2.0; // 269.5 MB in bf16
        assertEquals(2.0 * hs * heads * s * s, p.flops());
        assertEquals(3 * map + 2.0 * s * heads * hs * 2, p.bytes());
        OpCost a = OpCost.eagerApply(s, s, heads, heads, hs, 2, 1);
        assertEquals(map + 2.0 * s * heads * hs * 2, a.bytes());
        // probabilities: compute 34.5e9 / 50e12 = 690 us < memory 0.825e9 / 500e9 = 1650 us: bandwidth-bound
        assertEquals(p.bytes() / 500e9 + 3 * 5e-6, R.seconds(p, DType.BF16), 1e-12);
    }

    @Test
    void elementwiseAndCompactionAreBytes() {
        OpCost gather = OpCost.compactKv(1024, 128, 2);             // read + write K and V of 1024 kept rows
        assertEquals(2.0 * 2 * 1024 * 128 * 2, gather.bytes());
        assertEquals(gather.bytes() / 500e9 + 5e-6, R.seconds(gather, DType.F32), 1e-15);
    }
}
