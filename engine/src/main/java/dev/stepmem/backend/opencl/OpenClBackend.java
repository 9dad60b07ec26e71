package dev.stepmem.backend.opencl;

import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.gpu.GpuBackend;

/** The {@code opencl} backend: the shared GPU ops on an OpenCL device (PoCL in the tests). */
public final class OpenClBackend extends GpuBackend {
    private final OpenClDevice device;

    public OpenClBackend(OpenClDevice device, MemoryLedger ledger) {
        super("opencl", new OpenClRuntime(device), ledger);
        this.device = device;
    }

    public OpenClDevice device() {
        return device;
    }

    /** @param selector index or name as in {@link OpenClDevices#pick}; null for the first device */
    public static OpenClBackend open(String selector, MemoryLedger ledger) {
        return new OpenClBackend(OpenClDevices.pick(selector), ledger);
    }
}
