package dev.stepmem.backend.opencl;

import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.gpu.DeviceUnavailableException;
import java.util.Optional;

/**
 * The OpenCL backend the tests share (PoCL, OpenCL on the CPU, unless STEPMEM_OPENCL_DEVICE names
 * another), built once per JVM because compiling the kernel programs takes seconds.
 *
 * <p>Without a device the OpenCL tests are left out, except when STEPMEM_REQUIRE_OPENCL=1 (set by
 * test.sh, which installs PoCL): then they fail, so CI can never pass by silently skipping them.
 */
public final class OpenClTestDevice {
    public static final String REQUIRE = "STEPMEM_REQUIRE_OPENCL";
    private static Optional<OpenClBackend> shared;

    private OpenClTestDevice() {
    }

    public static synchronized Optional<OpenClBackend> backend() {
        if (shared == null) {
            shared = open();
        }
        return shared;
    }

    /** The shared backend; fails the calling test when there is none (use where OpenCL is the subject). */
    public static OpenClBackend required() {
        return backend().orElseThrow(() -> new org.opentest4j.TestAbortedException(
                "no OpenCL device (install pocl-opencl-icd ocl-icd-libopencl1)"));
    }

    /** A backend of its own on the test device, charging its own ledger (the shared one's is cluttered by op tests). */
    public static OpenClBackend fresh(MemoryLedger ledger) {
        required();
        return OpenClBackend.open(selector(), ledger);
    }

    private static String selector() {
        return System.getenv().getOrDefault("STEPMEM_OPENCL_DEVICE", "pocl");
    }

    private static Optional<OpenClBackend> open() {
        try {
            return Optional.of(OpenClBackend.open(selector(), new MemoryLedger()));
        } catch (DeviceUnavailableException e) {
            if ("1".equals(System.getenv(REQUIRE))) {
                throw new AssertionError(REQUIRE + "=1 but " + e.getMessage(), e);
            }
            System.err.println("OpenCL tests left out: " + e.getMessage());
            return Optional.empty();
        }
    }
}
