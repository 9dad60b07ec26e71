package dev.stepmem.bench.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.gpu.DeviceUnavailableException;
import dev.stepmem.backend.opencl.OpenClBackend;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The GPU calibration runs its frozen kernel through the backend's runtime, here on PoCL (OpenCL
 * on the CPU): what a GPU user's gate does between prefills. Timing on a real GPU is untested
 * (there is none here).
 */
class DeviceCalibrationTest {
    @Test
    void theDeviceCalibrationTimesTheFrozenKernelOnTheOpenClDevice() {
        OpenClBackend backend;
        try {
            backend = OpenClBackend.open(System.getenv().getOrDefault("STEPMEM_OPENCL_DEVICE", "pocl"),
                    new MemoryLedger());
        } catch (DeviceUnavailableException e) {
            if ("1".equals(System.getenv("STEPMEM_REQUIRE_OPENCL"))) {
                throw new AssertionError("STEPMEM_REQUIRE_OPENCL=1 but " + e.getMessage(), e);
            }
            Assumptions.abort("no OpenCL device: " + e.getMessage());
            return;
        }
        try (backend; DeviceCalibration c = new DeviceCalibration(backend)) {
            assertEquals(DeviceCalibration.ID, c.id());
            long a = c.timeNanos(), b = c.timeNanos();
            assertTrue(a > 0 && b > 0, a + ", " + b);
            System.out.printf(Locale.ROOT, "device calibration on %s: %.1f ms, %.1f ms%n",
                    backend.runtime().description(), a / 1e6, b / 1e6);
        }
    }
}
