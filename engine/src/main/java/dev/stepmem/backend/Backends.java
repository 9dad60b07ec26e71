package dev.stepmem.backend;

import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.cpu.ReferenceBackend;
import dev.stepmem.backend.cuda.CudaBackend;
import dev.stepmem.backend.cuda.CudaDevice;
import dev.stepmem.backend.cuda.CudaDevices;
import dev.stepmem.backend.gpu.DeviceUnavailableException;
import dev.stepmem.backend.opencl.OpenClBackend;
import dev.stepmem.backend.opencl.OpenClDevice;
import dev.stepmem.backend.opencl.OpenClDevices;
import java.util.ArrayList;
import java.util.List;

/**
 * Computing backends by name, for code that picks a device from a string (the CLI, the sweeps,
 * the JMH benchmarks): {@code cpu}, {@code reference}, {@code opencl} or {@code cuda}, the last
 * two with an optional device selector after a colon ({@code opencl:pocl}, {@code cuda:0}), as
 * {@code stepmem devices} lists them.
 */
public final class Backends {
    private Backends() {
    }

    /**
     * Opens a backend whose allocations are charged to {@code ledger}.
     *
     * @param spec "cpu", "reference", "opencl[:DEVICE]" or "cuda[:DEVICE]"
     * @throws IllegalArgumentException for an unknown name, or a device on cpu/reference
     * @throws DeviceUnavailableException (one line) when the OpenCL or CUDA device is absent
     */
    public static Backend open(String spec, MemoryLedger ledger) {
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        String device = colon < 0 ? null : spec.substring(colon + 1);
        return open(name, device, ledger);
    }

    /** As {@link #open(String, MemoryLedger)} with the device apart (null: the first device). */
    public static Backend open(String name, String device, MemoryLedger ledger) {
        if (device != null && !name.equals("opencl") && !name.equals("cuda")) {
            throw new IllegalArgumentException("a device applies to the opencl or cuda backend, not " + name);
        }
        return switch (name) {
            case "cpu" -> new CpuBackend(ledger);
            case "reference" -> new ReferenceBackend(ledger);
            case "opencl" -> OpenClBackend.open(device, ledger);
            case "cuda" -> CudaBackend.open(device, ledger);
            case "sim" -> throw new IllegalArgumentException("the sim backend models time and memory only and "
                    + "needs a profile; it computes no values");
            default -> throw new IllegalArgumentException("unknown backend '" + name
                    + "' (expected cpu, reference, opencl, cuda or sim)");
        };
    }

    /** The backend's name of a spec: "opencl" for "opencl:pocl". */
    public static String name(String spec) {
        int colon = spec.indexOf(':');
        return colon < 0 ? spec : spec.substring(0, colon);
    }

    /**
     * The GPUs this machine can measure on, as specs ("cuda:0", "opencl:2"): every CUDA device and
     * every OpenCL device of type GPU (a CUDA GPU also listed by OpenCL appears once, as cuda).
     * Empty without drivers; never throws.
     */
    public static List<String> presentGpus() {
        List<String> specs = new ArrayList<>();
        List<String> cudaNames = new ArrayList<>();
        try {
            for (CudaDevice d : CudaDevices.list()) {
                specs.add("cuda:" + d.index());
                cudaNames.add(d.name());
            }
        } catch (DeviceUnavailableException | LinkageError e) {
            // no CUDA driver or device: nothing to add
        }
        try {
            for (OpenClDevice d : OpenClDevices.list()) {
                if (d.gpu() && !cudaNames.contains(d.name())) {
                    specs.add("opencl:" + d.index());
                }
            }
        } catch (DeviceUnavailableException | LinkageError e) {
            // no OpenCL platform: nothing to add
        }
        return specs;
    }
}
