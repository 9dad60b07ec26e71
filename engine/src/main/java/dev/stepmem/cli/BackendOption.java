package dev.stepmem.cli;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Backends;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.sim.SimBackend;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.tensor.DType;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** --backend, --device and --threads, shared by commands that compute; --profile and friends for the sim backend. */
public final class BackendOption {
    @Option(names = "--backend", defaultValue = "cpu", paramLabel = "NAME",
            description = "cpu (Vector API, all cores), reference (plain loops, slow; the test oracle), "
                    + "opencl (the GPU kernels through OpenCL; PoCL runs them on the CPU), cuda (the same kernels "
                    + "as PTX through the CUDA driver) or sim (the simulated device of --profile: modeled time and "
                    + "memory, no arithmetic). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--device", paramLabel = "INDEX|NAME",
            description = "The opencl or cuda device: an index or part of a name as `stepmem devices` lists them "
                    + "(default: the first).")
    String device;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads of the cpu backend (default: all cores).")
    Integer threads;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "sim: the device profile to model (see 'stepmem profiles'), e.g. a800-80gb.")
    String profile;

    @Mixin
    ProfilesOption profiles;

    @Mixin
    SimPrecisionOption precision;

    @Mixin
    ImplementationOption implementation;

    public boolean isSim() {
        return backend.equals("sim");
    }

    /** The --profile the sim backend models. */
    public DeviceProfile profile() {
        if (profile == null) {
            throw new IllegalArgumentException("--backend sim needs --profile NAME (one of: "
                    + String.join(", ", profiles.registry().names()) + ")");
        }
        return profiles.registry().get(profile);
    }

    public Backend create() {
        return create(new MemoryLedger());
    }

    /** A computing backend whose allocations are charged to this ledger (its capacity plays the device's memory). */
    public Backend create(MemoryLedger ledger) {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            System.setProperty("stepmem.threads", threads.toString()); // read once by Parallel
        }
        if (backend.equals("sim")) {
            throw new IllegalArgumentException("--backend sim models time and memory only; this "
                    + "command needs computed values (use it with prefill, sweep or frontier)");
        }
        if (device != null && !backend.equals("opencl") && !backend.equals("cuda")) {
            throw new IllegalArgumentException("--device applies to --backend opencl or cuda, not " + backend);
        }
        return Backends.open(backend, device, ledger);
    }

    /**
     * The backend for a run of weights whose matrices are matrixType. The memory capacity is
     * memoryLimit when given, else the sim's profile's usable memory, else unlimited.
     */
    public Backend create(Long memoryLimit, DType matrixType) {
        if (!isSim()) {
            return create(new MemoryLedger(memoryLimit != null ? memoryLimit : MemoryLedger.UNLIMITED));
        }
        DeviceProfile p = profile();
        return new SimBackend(p, implementation.implementation(profiles.registry()), new MemoryLedger(memoryLimit != null ? memoryLimit : p.usableMemory()),
                precision.precision(p, matrixType));
    }
}
