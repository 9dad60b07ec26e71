package dev.stepmem.cli;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.cpu.ReferenceBackend;
import picocli.CommandLine.Option;

/** --backend and --threads, shared by commands that compute. */
public final class BackendOption {
    @Option(names = "--backend", defaultValue = "cpu", paramLabel = "NAME",
            description = "cpu (Vector API, all cores) or reference (plain loops, slow; the test oracle). Default: ${DEFAULT-VALUE}.")
    String backend;

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
        return switch (backend) {
            case "cpu" -> new CpuBackend(ledger);
            case "reference" -> new ReferenceBackend(ledger);
            default -> throw new IllegalArgumentException("unknown --backend '" + backend + "' (expected cpu or reference)");
        };
    }
}
