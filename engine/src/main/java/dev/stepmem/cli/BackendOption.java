package dev.stepmem.cli;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Backends;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.sim.SimBackend;
import dev.stepmem.exit.ExitCodes;
import dev.stepmem.exit.UsageException;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ProfileRegistry;
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

    /** Whether tensors live in this machine's memory (cpu, reference), so {@link HostMemory} applies. */
    boolean onHostMemory() {
        return backend.equals("cpu") || backend.equals("reference");
    }

    /** Checks every flag of this group before any work: the computing backends' flags, or the sim's. */
    public void check() {
        if (!isSim()) {
            checkComputing();
            return;
        }
        if (threads != null || device != null) {
            throw new UsageException("--threads and --device apply to the computing backends, not --backend sim");
        }
        profile();
        precision.check();
    }

    /** The --profile the sim backend models. */
    public DeviceProfile profile() {
        ProfileRegistry registry = profiles.registry(); // a broken profile file is a data error, not usage
        if (profile == null) {
            throw new UsageException("--backend sim needs --profile NAME (one of: " + String.join(", ", registry.names())
                    + ")");
        }
        return ExitCodes.option(() -> registry.get(profile));
    }

    public Backend create() {
        return create(new MemoryLedger());
    }

    /** A computing backend whose allocations are charged to this ledger (its capacity plays the device's memory). */
    public Backend create(MemoryLedger ledger) {
        checkComputing();
        return ExitCodes.option(() -> Backends.open(backend, device, ledger));
    }

    /**
     * Checks every flag of this group for a command whose backend computes (usage errors, exit 2);
     * commands call it before loading weights. The sim backend's flags are checked by
     * {@link #create(Long, DType)}.
     */
    public void checkComputing() {
        if (threads != null) {
            setThreads(threads);
        }
        if (backend.equals("sim")) {
            throw new UsageException("--backend sim models time and memory only; this "
                    + "command needs computed values (use it with prefill, sweep or frontier)");
        }
        if (device != null && !backend.equals("opencl") && !backend.equals("cuda")) {
            throw new UsageException("--device applies to --backend opencl or cuda, not " + backend);
        }
        if (profile != null) {
            throw new UsageException("--profile applies to --backend sim, not " + backend);
        }
        precision.check();
    }

    /**
     * Sizes the cpu backend's worker pool (read once, when the backend first runs). More than four
     * threads per core only adds switching, and thousands fail to start, so that is the limit.
     */
    static void setThreads(int threads) {
        int most = 4 * Runtime.getRuntime().availableProcessors();
        if (threads < 1 || threads > most) {
            throw new UsageException("--threads must be between 1 and " + most + " (4 per core on this machine), got "
                    + threads);
        }
        System.setProperty("stepmem.threads", Integer.toString(threads));
    }

    /**
     * The backend for a run of weights whose matrices are matrixType. The memory capacity is
     * memoryLimit when given, else the sim's profile's usable memory, else unlimited.
     */
    public Backend create(Long memoryLimit, DType matrixType) {
        check();
        if (!isSim()) {
            return create(new MemoryLedger(memoryLimit != null ? memoryLimit : MemoryLedger.UNLIMITED));
        }
        DeviceProfile p = profile();
        return new SimBackend(p, implementation.implementation(profiles.registry()), new MemoryLedger(memoryLimit != null ? memoryLimit : p.usableMemory()),
                precision.precision(p, matrixType));
    }
}
