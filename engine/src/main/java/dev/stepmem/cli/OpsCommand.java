package dev.stepmem.cli;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Backends;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.cpu.ReferenceBackend;
import dev.stepmem.backend.cuda.CudaBackend;
import dev.stepmem.backend.cuda.CudaGemm;
import dev.stepmem.backend.gpu.DeviceUnavailableException;
import dev.stepmem.backend.gpu.GpuBackend;
import dev.stepmem.backend.opencl.OpenClBackend;
import dev.stepmem.calibrate.HostInfo;
import dev.stepmem.ops.OpCase;
import dev.stepmem.ops.OpCases;
import dev.stepmem.ops.OpHarness;
import dev.stepmem.ops.OpHarness.Target;
import dev.stepmem.ops.OpResult;
import dev.stepmem.ops.OpShapes;
import dev.stepmem.ops.OpTable;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ProfileRegistry;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `stepmem ops`: every op on every backend here, checked against the plain reference, timed, beside the profile's prediction. */
@Command(name = "ops", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The per-op harness (llm.c dev/cuda style): for each op family, seeded inputs, the plain "
                + "reference's result, then each backend's checked against it with the op tests' tolerances and "
                + "timed (median), with GFLOP/s and GB/s beside what the device's profile predicts (the sim's "
                + "roofline: max(FLOPs / rate, bytes / bandwidth) + launch) and the host-device copies of one call.",
                "Exit codes: 0 every check passed, 1 a result outside its tolerance, 2 bad usage, "
                        + "3 a backend named in --backends cannot open here."})
public final class OpsCommand implements Callable<Integer> {
    @Option(names = "--backends", split = ",", paramLabel = "SPEC,...",
            description = "Backends to measure: cpu, opencl[:DEVICE], cuda[:DEVICE] (as `stepmem devices` lists them). "
                    + "Default: cpu and every one of opencl and cuda that opens here (the others are listed as left out).")
    List<String> backends;

    @Option(names = "--shapes", defaultValue = "ragged", paramLabel = "NAME",
            description = "ragged (small sizes no multiple of any tile; seconds) or llama2-7b (one LLaMA-2-7B layer "
                    + "at a 1024-token chunk after 1024 keys; use --oracle cpu there). "
                    + "Default: ${DEFAULT-VALUE}.")
    String shapes;

    @Option(names = "--oracle", defaultValue = "reference", paramLabel = "NAME",
            description = "What results are checked against: reference (the plain loops; the default) or cpu (the "
                    + "Vector API backend, itself checked against the reference at the ragged shapes; for llama2-7b "
                    + "shapes, where the reference would take minutes).")
    String oracle;

    @Option(names = "--ops", split = ",", paramLabel = "OP,...",
            description = "Only these op families (e.g. matmul,attention); default: all.")
    List<String> ops;

    @Option(names = "--repeats", defaultValue = "5", paramLabel = "N",
            description = "Timed calls per op and backend, at least (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--min-ms", defaultValue = "200", paramLabel = "MS",
            description = "And at least this many milliseconds of timed calls (default: ${DEFAULT-VALUE}).")
    int minMillis;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "The profile whose predictions go beside every backend. Default: the profile matching each "
                    + "device's name; cpu-host for the CPU and for an OpenCL device that is a CPU (PoCL).")
    String profile;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write every row to this CSV file.")
    Path csv;

    @Mixin
    ProfilesOption profiles;

    /** Bad usage: one line and exit code 2 (the project's scheme), not the whole usage text. */
    private static int usageError(String message) {
        System.err.println("error: " + message + "; see stepmem ops --help");
        return 2;
    }

    @Override
    public Integer call() {
        OpShapes shapeSet;
        try {
            shapeSet = OpShapes.parse(shapes);
        } catch (IllegalArgumentException e) {
            return usageError("--shapes: " + e.getMessage());
        }
        if (!oracle.equals("reference") && !oracle.equals("cpu")) {
            return usageError("--oracle must be reference or cpu, got '"
                    + oracle + "'");
        }
        if (repeats < 1 || minMillis < 0) {
            return usageError("--repeats must be >= 1 and --min-ms >= 0");
        }
        ProfileRegistry registry = profiles.registry();
        Optional<DeviceProfile> fixedProfile = profile == null ? Optional.empty() : Optional.of(registry.get(profile));
        List<Target> targets = new ArrayList<>();
        boolean explicit = backends != null;
        for (String specText : explicit ? backends : List.of("cpu", "opencl", "cuda")) {
            try {
                targets.addAll(targets(specText, registry, fixedProfile));
            } catch (DeviceUnavailableException e) {
                if (explicit) {
                    System.err.println("error: --backends " + specText + ": " + e.getMessage());
                    closeAll(targets);
                    return 3;
                }
                System.out.println("left out " + specText + ": " + e.getMessage());
            }
        }
        try (Arena arena = Arena.ofShared()) {
            List<OpCase> cases = OpCases.all(shapeSet, arena).stream()
                    .filter(c -> ops == null || ops.stream().anyMatch(o -> c.op().startsWith(o))).toList();
            if (cases.isEmpty()) {
                return usageError("--ops " + String.join(",", ops)
                        + " names no op family");
            }
            for (Target t : targets) {
                System.out.println(t.label() + ": " + t.device()
                        + t.profile().map(p -> " (predictions: profile " + p.name() + ", " + p.device() + ")")
                        .orElse(" (no profile matches this device: no predictions)"));
            }
            System.out.println((oracle.equals("cpu") ? "checked against the cpu backend" : "checked against the "
                    + "plain loops of the reference backend") + "; shapes " + shapeSet.name());
            OpTable.header(System.out);
            Backend oracleBackend = oracle.equals("cpu") ? new CpuBackend() : new ReferenceBackend();
            List<OpResult> results = new OpHarness(oracleBackend, repeats, minMillis * 1_000_000L)
                    .run(cases, targets, r -> OpTable.row(System.out, r));
            if (csv != null) {
                OpTable.writeCsv(csv, results);
            }
            long failed = results.stream().filter(r -> !r.passed()).count();
            System.out.println(failed == 0 ? "all " + results.size() + " results within their tolerances"
                    : failed + " of " + results.size() + " results OUTSIDE their tolerances");
            return failed == 0 ? 0 : 1;
        } finally {
            closeAll(targets);
        }
    }

    /** The backend of a spec; for cuda with cuBLAS also the same device with the hand-written GEMM, its reference. */
    private static List<Target> targets(String specText, ProfileRegistry registry, Optional<DeviceProfile> fixed) {
        Backend b = Backends.open(specText, new MemoryLedger());
        if (!(b instanceof CudaBackend cuda)) {
            return List.of(target(b.name(), b, false, false, registry, fixed));
        }
        System.out.println("cuda GEMM: " + cuda.gemm());
        if (!cuda.usesCublas()) {
            return List.of(target("cuda/kernel-gemm", b, false, false, registry, fixed));
        }
        String device = specText.contains(":") ? specText.substring(specText.indexOf(':') + 1) : null;
        Backend kernel = CudaBackend.open(device, new MemoryLedger(), CudaGemm.KERNEL);
        return List.of(target("cuda/cublas", b, true, false, registry, fixed),
                target("cuda/kernel-gemm", kernel, false, true, registry, fixed)); // the other ops are cuda/cublas's
    }

    private static Target target(String label, Backend b, boolean roundsActivations, boolean matmulsOnly,
                                 ProfileRegistry registry, Optional<DeviceProfile> fixed) {
        String device = b instanceof GpuBackend g ? g.runtime().description() : HostInfo.read().cpuName();
        if (fixed.isPresent()) {
            return new Target(label, b, device, fixed, roundsActivations, matmulsOnly);
        }
        Optional<DeviceProfile> p = registry.match(device);
        boolean onTheCpu = !(b instanceof GpuBackend) || (b instanceof OpenClBackend o && !o.device().gpu());
        if (p.isEmpty() && onTheCpu && registry.names().contains("cpu-host")) {
            p = Optional.of(registry.get("cpu-host"));
        }
        return new Target(label, b, device, p, roundsActivations, matmulsOnly);
    }

    private static void closeAll(List<Target> targets) {
        targets.forEach(t -> t.backend().close());
    }
}
