package dev.stepmem.backend.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as listed: its index across all platforms, names, version, memory, and whether
 * it is a GPU (PoCL and Oclgrind are not: sweeps measure on GPUs only when asked for others).
 */
public record OpenClDevice(int index, String platform, String name, String version, long globalMemory, boolean gpu,
                           cl_platform_id platformId, cl_device_id deviceId) {

    /** "0: Portable Computing Language / pthread-haswell-AMD EPYC (OpenCL 3.0 PoCL ..., 22.6 GiB)". */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%d: %s / %s (%s, %.1f GiB)", index, platform, name, version,
                globalMemory / (double) (1L << 30));
    }
}
