package dev.stepmem.bench.sweep;

import dev.stepmem.bench.sweep.Sweeps.Scale;
import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Backends;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.calibrate.HostInfo;
import dev.stepmem.exit.CannotRunHereException;
import dev.stepmem.exit.ExitCodes;
import dev.stepmem.exit.UsageException;
import dev.stepmem.profiles.ProfileRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The sweep runner: runs named sweeps (one per figure) at a scale and appends their rows to the
 * tidy results CSV. Measured points go through JMH, modeled ones through the sim backend.
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   -cp benchmarks/target/benchmarks.jar dev.stepmem.bench.sweep.SweepMain --sweep all --scale quick
 * </pre>
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the named sweeps behind the paper's figures and append their rows to the results CSV.")
public final class SweepMain implements Callable<Integer> {
    @Option(names = "--sweep", split = ",", defaultValue = "all", paramLabel = "NAME,...",
            description = "Sweeps to run: ${COMPLETION-CANDIDATES}... or all (default: ${DEFAULT-VALUE}).")
    List<String> sweeps;

    @Option(names = "--scale", defaultValue = "quick", paramLabel = "SCALE",
            description = "quick (this machine, minutes) or paper (METHOD.md §7's settings) (default: ${DEFAULT-VALUE}).")
    String scale;

    @Option(names = "--results", defaultValue = "results/results.csv", paramLabel = "FILE",
            description = "The tidy results CSV the rows are appended to (default: ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--resume", description = "Keep the file's rows of these sweeps and run only the points they lack.")
    boolean resume;

    @Option(names = "--replace", description = "Delete the file's rows of these sweeps first.")
    boolean replace;

    @Option(names = "--reps", defaultValue = "5", paramLabel = "N",
            description = "Timed prefills per measured point (median; default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--device", split = ",", defaultValue = "auto", paramLabel = "DEVICE,...",
            description = "Where measured points run: cpu, opencl[:DEVICE], cuda[:DEVICE] (as `stepmem devices` "
                    + "lists them), or auto = the CPU and every GPU present (default: ${DEFAULT-VALUE}). "
                    + "Probes and perplexity run on the CPU: their values do not depend on the device.")
    List<String> devices;

    @Option(names = "--list", description = "Print the points the sweeps would run, one per line, and exit.")
    boolean list;

    @Option(names = "--modeled-only", description = "Run only the sweeps' modeled points (the sim: seconds); "
            + "--replace and --resume then touch only the file's modeled rows of these sweeps.")
    boolean modeledOnly;

    @Option(names = "--profiles-dir", paramLabel = "DIR", description = "Folder of GPU profiles (default: ./profiles, else the built-in ones).")
    Path profilesDir;

    public static void main(String[] args) {
        System.exit(ExitCodes.run(new CommandLine(new SweepMain()), ExitCodes.engineErrors(), args));
    }

    @Override
    public Integer call() {
        if (resume && replace) {
            throw new UsageException("--resume and --replace exclude each other");
        }
        if (reps < 1) {
            throw new UsageException("--reps must be at least 1, got " + reps);
        }
        Scale s = ExitCodes.option(() -> Scale.parse(scale));
        List<String> names = sweeps.equals(List.of("all")) ? Sweeps.NAMES : sweeps;
        List<String> measuredOn = measuredDevices(devices);
        List<SweepPoint> points = new ArrayList<>();
        for (String name : names) { // every name checked first
            points.addAll(ExitCodes.option(() -> Sweeps.onDevices(Sweeps.points(name, s), measuredOn)));
        }
        if (modeledOnly) {
            points.removeIf(p -> p.kind() != SweepPoint.Kind.MODELED);
        }
        if (list) {
            points.forEach(System.out::println);
            System.out.println(points.size() + " points");
            return 0;
        }
        dev.stepmem.io.OutputChecks.requireWritable(results, "--results");
        dev.stepmem.results.ResultsCsv.read(results); // a file of another schema, or damaged, is refused before any output
        System.err.println("measured points run on: " + String.join(", ", measuredOn));
        ProfileRegistry profiles = ProfileRegistry.locate(profilesDir);
        String commit = Git.shortCommit(), machine = machine();
        SweepRun run = new SweepRun(results, new LivePointRunner(profiles, reps), p -> p.template(commit, machine,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                p.kind() == SweepPoint.Kind.MODELED ? profiles.get(p.device()).shortHash() : ""), System.err::println);
        int ran = run.run(points, resume ? SweepRun.Existing.RESUME : replace ? SweepRun.Existing.REPLACE
                : SweepRun.Existing.REFUSE);
        System.err.println(ran + " points run; rows in " + results);
        return 0;
    }

    /** The device list with auto expanded; each device is opened once here, so a bad one fails before any run. */
    static List<String> measuredDevices(List<String> asked) {
        List<String> out = new ArrayList<>();
        for (String d : asked) {
            if (d.equals("auto")) {
                out.add("cpu");
                out.addAll(Backends.presentGpus());
                continue;
            }
            try (Backend b = Backends.open(d, new MemoryLedger())) {
                out.add(d);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--device " + d + ": " + e.getMessage());
            } catch (IllegalStateException e) { // a device that is not here
                throw new CannotRunHereException("--device " + d + ": " + e.getMessage());
            }
        }
        return out.stream().distinct().toList();
    }

    private static String machine() {
        return HostInfo.read().cpuName() + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }
}
