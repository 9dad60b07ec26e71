package dev.stepmem.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.TestTensors;
import dev.stepmem.backend.Tensor;
import dev.stepmem.backend.opencl.OpenClTestDevice;
import dev.stepmem.tensor.DType;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** The GPU backend counts every host-device copy, with its bytes, and nothing else (on PoCL). */
class TransfersTest {

    @Test
    void writesReadsUploadsAndHostResultsAreCountedWithTheirBytes() {
        try (GpuBackend gpu = OpenClTestDevice.fresh(new MemoryLedger()); Arena arena = Arena.ofConfined()) {
            Transfers start = gpu.transfers();
            Tensor t = gpu.allocate("a", 4, 5); // zero-filled by a kernel: no copy
            assertEquals(Transfers.NONE, gpu.transfers().since(start));
            gpu.write(t, 1, TestTensors.random(15, 1), 3);
            gpu.read(t, 0, 2, new float[10]);
            assertEquals(new Transfers(1, 60, 1, 40), gpu.transfers().since(start));

            Transfers beforeUpload = gpu.transfers();
            gpu.upload(TestTensors.weight(arena, DType.BF16, 3, 8, 2));
            assertEquals(new Transfers(1, 48, 0, 0), gpu.transfers().since(beforeUpload));

            // window scores come back to the host: nHeads x nKeys floats
            Tensor q = TestTensors.filled(gpu, 3, 2 * 4, TestTensors.random(24, 3));
            Tensor k = TestTensors.filled(gpu, 7, 4, TestTensors.random(28, 4));
            Transfers beforeScores = gpu.transfers();
            gpu.attentionWindowScores(q, k, 3, 7, 2, 2, 1, 4);
            assertEquals(new Transfers(0, 0, 1, 2 * 7 * 4), gpu.transfers().since(beforeScores));
        }
    }

    @Test
    void ropeWritesItsFrequencyTableOnceWhileItStaysTheSame() {
        try (GpuBackend gpu = OpenClTestDevice.fresh(new MemoryLedger())) {
            Tensor x = TestTensors.filled(gpu, 2, 8, TestTensors.random(16, 5));
            float[] freq = {1f, 0.1f};
            Transfers start = gpu.transfers();
            for (int layer = 0; layer < 3; layer++) {
                gpu.rope(x, 2, 2, 4, 0, freq, dev.stepmem.backend.RopeStyle.INTERLEAVED);
            }
            assertEquals(new Transfers(1, 8, 0, 0), gpu.transfers().since(start));
            gpu.rope(x, 2, 2, 4, 0, new float[] {1f, 0.2f}, dev.stepmem.backend.RopeStyle.INTERLEAVED);
            assertEquals(new Transfers(2, 16, 0, 0), gpu.transfers().since(start));
        }
    }
}
