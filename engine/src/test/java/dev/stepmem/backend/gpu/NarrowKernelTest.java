package dev.stepmem.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.TestTensors;
import dev.stepmem.backend.Tensor;
import dev.stepmem.backend.opencl.OpenClTestDevice;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * narrow.cl (the 16-bit activations of cuBLAS's bf16/fp16 GEMMs) on PoCL, bit for bit against
 * Java's rounding (DType.floatToBf16, Float.floatToFloat16): round to nearest even at every
 * exponent, ties, fp16 subnormals and overflow, zeros and infinities.
 */
class NarrowKernelTest {

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BF16", "F16"})
    void roundsExactlyAsJavaDoes(DType type) {
        float[] special = {0f, -0f, 1f, -1f, 65504f, 65519.99f, 65520f, 1e6f, -1e6f, Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, 0x1p-14f, 0x1.ffcp-15f, 0x1p-24f,
                0x1p-25f, 0x1.000002p-25f, 0x1.8p-24f, 0x1.4p-23f, 3e-8f, 5.96e-8f, 1.00048828125f,
                1.0009765625f, 1.00146484375f, 0x1.008p0f, 0x1.018p0f, 1.0f + 0x1p-8f, 1.0f + 0x3p-9f};
        float[] random = TestTensors.random(5000, 31);
        float[] x = new float[special.length + random.length];
        System.arraycopy(special, 0, x, 0, special.length);
        for (int i = 0; i < random.length; i++) { // values across ~40 binades
            x[special.length + i] = random[i] * (float) Math.pow(2, (i % 41) - 30);
        }
        GpuBackend gpu = OpenClTestDevice.required();
        Tensor in = TestTensors.filled(gpu, 1, x.length, x);
        DeviceBuffer out = gpu.narrowed(in, x.length, type);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(2L * x.length);
            gpu.runtime().read(out, 0, host);
            for (int i = 0; i < x.length; i++) {
                short want = type == DType.BF16 ? DType.floatToBf16(x[i]) : Float.floatToFloat16(x[i]);
                short got = host.get(HostTensor.I16_LE, 2L * i);
                assertEquals(want, got, type + " of " + Float.toHexString(x[i]));
            }
            Tensor nan = TestTensors.filled(gpu, 1, 1, new float[] {Float.NaN});
            gpu.runtime().read(gpu.narrowed(nan, 1, type), 0, host.asSlice(0, 2));
            float back = type == DType.BF16 ? DType.bf16ToFloat(host.get(HostTensor.I16_LE, 0))
                    : Float.float16ToFloat(host.get(HostTensor.I16_LE, 0));
            assertTrue(Float.isNaN(back), "NaN stays NaN");
        }
        gpu.free(in);
    }
}
