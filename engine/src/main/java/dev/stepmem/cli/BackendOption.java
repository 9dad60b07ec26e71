package dev.stepmem.cli;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.cpu.ReferenceBackend;
import dev.stepmem.backend.cuda.CudaBackend;
import dev.stepmem.backend.opencl.OpenClBackend;
import picocli.CommandLine.Option;

/** --backend, --device and --threads, shared by commands that compute. */
public final class BackendOption {
    @Option(names = "--backend", defaultValue = "cpu", paramLabel = "NAME",
            description = "cpu (Vector API, all cores), reference (plain loops, slow; the test oracle), "
                    + "opencl (the GPU kernels through OpenCL; PoCL runs them on the CPU) or cuda (the same kernels "
                    + "as PTX through the CUDA driver). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--device", paramLabel = "INDEX|NAME",
            description = "The opencl or cuda device: an index or part of a name as `stepmem devices` lists them "
                    + "(default: the first).")
    String device;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads of the cpu backend (default: all cores).")
    Integer threads;

    public Backend create() {
        return create(new MemoryLedger());
    }

    /** A backend whose allocations are charged to this ledger (its capacity plays the device's memory). */
    public Backend create(MemoryLedger ledger) {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            System.setProperty("stepmem.threads", threads.toString()); // read once by Parallel
        }
        if (device != null && !backend.equals("opencl") && !backend.equals("cuda")) {
            throw new IllegalArgumentException("--device applies to --backend opencl or cuda, not " + backend);
        }
        return switch (backend) {
            case "cpu" -> new CpuBackend(ledger);
            case "reference" -> new ReferenceBackend(ledger);
            case "opencl" -> OpenClBackend.open(device, ledger);
            case "cuda" -> CudaBackend.open(device, ledger);
            default -> throw new IllegalArgumentException("unknown --backend '" + backend
                    + "' (expected cpu, reference, opencl or cuda)");
        };
    }
}
