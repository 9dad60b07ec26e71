package dev.stepmem.backend.cuda;

import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.gpu.GpuBackend;

/**
 * The {@code cuda} backend: the shared GPU ops (the same kernels as PTX) on a CUDA device. It
 * records the driver's free memory when it opens, so {@link #memoryCrossCheck()} can set the
 * ledger's figure beside the driver's. Never run on a GPU (see {@link CudaRuntime}).
 */
public final class CudaBackend extends GpuBackend {
    private final long freeAtStart;

    private CudaBackend(CudaRuntime runtime, MemoryLedger ledger) {
        super("cuda", runtime, ledger);
        this.freeAtStart = runtime.driverFreeBytes().orElse(0);
    }

    /**
     * @param selector index or name as in {@link CudaDevices#pick}; null for the first device
     * @throws dev.stepmem.backend.gpu.DeviceUnavailableException one line, when there is no driver or device
     */
    public static CudaBackend open(String selector, MemoryLedger ledger) {
        CudaDevice device = CudaDevices.pick(selector);
        CudaRuntime.ptx("elementwise"); // fail early, in one line, when the jar was built without nvcc
        return new CudaBackend(new CudaRuntime(device), ledger);
    }

    /** The ledger's bytes beside the drop in the driver's free memory since this backend opened (cuMemGetInfo). */
    public String memoryCrossCheck() {
        return memoryCrossCheck(freeAtStart);
    }
}
