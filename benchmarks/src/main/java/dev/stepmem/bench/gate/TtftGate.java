package dev.stepmem.bench.gate;

import dev.stepmem.io.AtomicFile;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The TTFT regression gate (docs/ttft-gate.md): builds the pinned reference commit, times it and
 * the working tree side by side on this machine, and fails on a slower candidate. Run through
 * {@code bin/ttft-gate}, which builds the working tree's jar and sets {@code stepmem.root}.
 */
@Command(name = "ttft-gate", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {TtftGate.Check.class, TtftGate.Refresh.class, TtftGate.SelfCheck.class},
        description = {"TTFT regression gate: times the working tree against a pinned reference commit, both built "
                + "and run on this machine in the same run, interleaved, over 8 stories15M chunked prefills (FM and "
                + "IMDC; SnapKV and StreamingLLM; flash and eager; L = 2048, c = m_max = 128), and fails when the "
                + "working tree is slower.", "", "Without a command, 'check' runs. See docs/ttft-gate.md."},
        footer = {"", "Exit codes: 0 pass; 1 regression (or the working tree's build cannot be timed); 2 bad usage; "
                + "3 no verdict possible (reference commit missing or unbuildable, device absent)."})
public final class TtftGate {
    private static final Set<String> COMMANDS = Set.of("check", "refresh", "self-check", "-h", "--help", "-V",
            "--version");

    private TtftGate() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the gate ('check' when no command is named) and returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> a = new ArrayList<>(List.of(args));
        if (a.isEmpty() || !COMMANDS.contains(a.getFirst())) {
            a.addFirst("check");
        }
        CommandLine cli = new CommandLine(new TtftGate());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, argv) -> {
            e.getCommandLine().getErr().println("error: " + e.getMessage() + " (see bin/ttft-gate "
                    + e.getCommandLine().getCommandName() + " --help)");
            return GateException.USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return e instanceof GateException g ? g.exitCode : GateException.NO_VERDICT;
        });
        return cli.execute(a.toArray(String[]::new));
    }

    static Path root() {
        return Path.of(System.getProperty("stepmem.root", ".")).toAbsolutePath().normalize();
    }

    /** How to measure: shared by check and self-check. */
    static final class Measuring {
        @Option(names = "--device", paramLabel = "SPEC", defaultValue = "cpu",
                description = "cpu, opencl[:DEVICE] or cuda[:DEVICE] (bin/stepmem devices); both builds run on it. "
                        + "Default: ${DEFAULT-VALUE}.")
        String device;

        @Option(names = "--forks", defaultValue = "1",
                description = "Fresh JVMs per configuration. Default: ${DEFAULT-VALUE}.")
        int forks;

        @Option(names = "--warmups", defaultValue = "3",
                description = "Unmeasured invocations per fork (each one prefill of each build). Default: ${DEFAULT-VALUE}.")
        int warmups;

        @Option(names = "--iterations", defaultValue = "6",
                description = "Measured invocations per fork; even, so each build goes first equally often. Default: ${DEFAULT-VALUE}.")
        int iterations;

        @Option(names = "--threads", defaultValue = "1",
                description = "CPU backend threads in the benchmark forks. Default: ${DEFAULT-VALUE}.")
        int threads;

        @Option(names = "--reference", paramLabel = "REV",
                description = "Time against this commit instead of the pinned one (e.g. origin/main), for a local look.")
        String reference;

        @Option(names = "--work", paramLabel = "DIR", description = "Where JMH's results and log go. "
                + "Default: benchmarks/target/ttft-gate.")
        Path work;

        GatePlan plan() {
            return new GatePlan(device, forks, warmups, iterations, threads);
        }

        /** Builds what is needed and times it; per configuration, the {reference, candidate, slowed} TTFTs. */
        Map<String, List<double[]>> measure(double slowdown, PrintStream log) {
            GatePlan plan = plan();
            String commit = reference == null ? GateReference.read(root()).commit() : ReferenceBuild.resolve(root(), reference);
            Path referenceJar = ReferenceBuild.jar(root(), commit, log);
            Path candidateJar = root().resolve("benchmarks/target/benchmarks.jar");
            if (!candidateJar.toFile().isFile()) {
                throw new GateException(GateException.REGRESSION, candidateJar + " is missing: build it first "
                        + "(bin/ttft-gate does: mvn -pl benchmarks -am -DskipTests package)");
            }
            log.printf("timing the working tree against %s on %s, %d configurations%n", commit.substring(0, 12),
                    plan.device(), plan.configs().size());
            referenceCommit = commit;
            return GateRun.measure(candidateJar, referenceJar, plan, slowdown,
                    work != null ? work : root().resolve("benchmarks/target/ttft-gate"), log);
        }

        String referenceCommit;
    }

    @Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Times the working tree against the pinned reference (benchmarks/ttft-gate-reference) "
                    + "and prints the report; exits 1 on a regression.")
    static final class Check implements Callable<Integer> {
        @Mixin
        Measuring m = new Measuring();

        @Option(names = "--report", paramLabel = "FILE", description = "Also write the report (Markdown) here.")
        Path report;

        @Override
        public Integer call() {
            long start = System.nanoTime();
            Map<String, List<double[]>> timings = m.measure(0, System.out);
            GatePlan plan = m.plan();
            GateVerdict v = GateVerdict.of(plan.configs(), timings, 1);
            String text = v.table(String.format(Locale.ROOT, "TTFT gate: working tree / reference %s on %s "
                    + "(%d x %d pairs per configuration, %.0f s)", m.referenceCommit.substring(0, 12), plan.device(),
                    plan.forks(), plan.iterations(), (System.nanoTime() - start) / 1e9));
            System.out.println();
            System.out.print(text);
            if (report != null) {
                AtomicFile.write(report, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
            }
            return v.passed() ? 0 : GateException.REGRESSION;
        }
    }

    @Command(name = "self-check", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Proves the gate can fail: --runs gate checks in which the working tree is timed twice "
                    + "beside the reference, as it is and with every backend op slowed uniformly by --slowdown. "
                    + "Prints each run's two verdicts.",
                    "Exits 0 when every unslowed run passed and the slowed one failed in at least 90% of the runs."})
    static final class SelfCheck implements Callable<Integer> {
        @Mixin
        Measuring m = new Measuring();

        @Option(names = "--slowdown", defaultValue = "0.25", paramLabel = "F",
                description = "The deliberate slowdown (0.25: every op 25%% slower). Default: ${DEFAULT-VALUE}.")
        double slowdown;

        @Option(names = "--runs", defaultValue = "10", description = "Gate runs. Default: ${DEFAULT-VALUE}.")
        int runs;

        @Override
        public Integer call() {
            if (runs < 1 || !(slowdown > 0) || Double.isInfinite(slowdown)) {
                throw new GateException(GateException.USAGE, "need --runs >= 1 and a finite --slowdown > 0");
            }
            int unslowedFailed = 0, slowedFailed = 0;
            for (int run = 1; run <= runs; run++) {
                Map<String, List<double[]>> t = m.measure(slowdown, System.out);
                GateVerdict same = GateVerdict.of(m.plan().configs(), t, 1);
                GateVerdict slowed = GateVerdict.of(m.plan().configs(), t, 2);
                unslowedFailed += same.passed() ? 0 : 1;
                slowedFailed += slowed.passed() ? 0 : 1;
                System.out.printf(Locale.ROOT, "run %d of %d: unslowed geomean %.3f (max %.3f) %s; +%.0f%%: geomean "
                        + "%.3f (max %.3f) %s%n", run, runs, same.geomean(), same.maxRatio(),
                        same.passed() ? "pass" : "REGRESSION", slowdown * 100, slowed.geomean(), slowed.maxRatio(),
                        slowed.passed() ? "pass" : "REGRESSION");
            }
            System.out.printf(Locale.ROOT, "%nunslowed: %d of %d runs passed; slowed by %.0f%%: %d of %d runs failed%n",
                    runs - unslowedFailed, runs, slowdown * 100, slowedFailed, runs);
            return unslowedFailed == 0 && slowedFailed >= Math.ceil(0.9 * runs) ? 0 : GateException.REGRESSION;
        }
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Moves the reference: pins REV in benchmarks/ttft-gate-reference and commits that file "
                    + "alone, with the reason in the message. Do it when a slowdown is intended, or to let the gate "
                    + "compare against newer code.")
    static final class Refresh implements Callable<Integer> {
        @Option(names = "--to", paramLabel = "REV", defaultValue = "HEAD",
                description = "The new reference commit. Default: ${DEFAULT-VALUE}.")
        String to;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why it moves (one line).")
        String reason;

        @Option(names = "--no-commit", description = "Write the file but leave committing it to you.")
        boolean noCommit;

        @Override
        public Integer call() throws IOException {
            Path root = root();
            String commit = ReferenceBuild.resolve(root, to);
            GateReference.write(root, commit, reason.strip());
            System.out.println("pinned " + commit + " in " + GateReference.FILE);
            if (!noCommit) {
                ReferenceBuild.commitFile(root, GateReference.FILE, "TTFT gate: reference -> " + commit.substring(0, 12) + ": "
                        + reason.strip());
                System.out.println("committed " + GateReference.FILE);
            }
            return 0;
        }
    }
}
