package dev.stepmem.backend.cuda;

/** One CUDA device as the driver lists it. */
public record CudaDevice(int index, String name, long totalMemory, int computeMajor, int computeMinor) {

    /** "0: NVIDIA A800 80GB PCIe (sm_80, 79.3 GiB)". */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%d: %s (sm_%d%d, %.1f GiB)", index, name, computeMajor,
                computeMinor, totalMemory / (double) (1L << 30));
    }
}
