package dev.stepmem.bench.gate;

import dev.stepmem.bench.sweep.Git;
import dev.stepmem.io.AtomicFile;
import dev.stepmem.results.Stats;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The TTFT regression gate (docs/ttft-gate.md): measures a fixed set of stories15M chunked
 * prefills with JMH, each normalized by a calibration workload timed beside it in the same JVM,
 * and compares the medians with the committed baseline of this device. {@code check} (the
 * default) prints the report and exits 1 on a regression; {@code refresh} measures a new baseline
 * deliberately; {@code spread} summarizes recorded runs. Run through {@code bin/ttft-gate}.
 */
@Command(name = "ttft-gate", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {TtftGate.Check.class, TtftGate.Refresh.class, TtftGate.Spread.class},
        description = {"TTFT regression gate: times a fixed set of chunked prefills (stories15M; FM and IMDC; SnapKV "
                + "and StreamingLLM; flash and eager) with JMH, divides each TTFT by a calibration workload timed "
                + "beside it in the same JVM, and compares the medians with the committed baseline of this device.",
                "",
                "Without a command, 'check' runs. See docs/ttft-gate.md."},
        footer = {"", "Exit codes: 0 pass; 1 regression; 2 bad usage; 3 no verdict possible (no baseline for this "
                + "device or configuration, an unreadable file, a failed measurement)."})
public final class TtftGate implements Runnable {
    /**
     * Thresholds from the measured spread of unchanged code (docs/ttft-gate.md, 16 runs): a configuration
     * strayed from its baseline by up to 17.4% (both cores busy with a neighbour), the geometric mean by
     * up to 5.1%; each threshold leaves room above that, and one extra attention pass (+23% to +49%) fails.
     */
    static final String CONFIG_THRESHOLD = "1.25";
    static final String GEOMEAN_THRESHOLD = "1.10";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The report and tables go to out; progress and errors to err. */
    private final PrintStream out, err;

    private TtftGate(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the gate with these arguments ('check' when no command is named); returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Set<String> commands = Set.of("check", "refresh", "spread", "-h", "--help", "-V", "--version");
        List<String> a = new ArrayList<>(List.of(args));
        if (a.isEmpty() || !commands.contains(a.getFirst())) {
            a.addFirst("check");
        }
        CommandLine cli = new CommandLine(new TtftGate(out, err));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            if (Boolean.getBoolean("stepmem.stacktraces")) {
                e.printStackTrace(err);
            }
            return e instanceof GateException ? 3 : e instanceof IllegalArgumentException ? 2 : 3;
        });
        return cli.execute(a.toArray(String[]::new));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: check, refresh or spread");
    }

    /** What to measure and where the baseline lives: shared by check and refresh. */
    static final class MeasureOptions {
        @Option(names = "--baseline", defaultValue = "results/ttft-baseline.csv", paramLabel = "FILE",
                description = "The baseline CSV, one row per device key and configuration (default: ${DEFAULT-VALUE}).")
        Path baseline;

        @Option(names = "--backend", defaultValue = "cpu", paramLabel = "NAME",
                description = "cpu, opencl or cuda (default: ${DEFAULT-VALUE}).")
        String backend;

        @Option(names = "--device", paramLabel = "INDEX|NAME",
                description = "The opencl or cuda device, as 'stepmem devices' lists it (default: the first).")
        String device;

        @Option(names = "--device-key", paramLabel = "KEY",
                description = "Which baseline to use: default 'cpu' on the CPU (shared by all machines: the figures "
                        + "are normalized), BACKEND:PROFILE or BACKEND:DEVICE-NAME on a GPU.")
        String deviceKey;

        @Option(names = "--configs", split = ",", paramLabel = "ID,...",
                description = "Measure only these configurations, e.g. fm/snapkv/flash/L2048/c128/m128 (default: the "
                        + "fixed set of 8).")
        List<String> configs;

        @Option(names = "--rounds", defaultValue = "2", paramLabel = "N",
                description = "Measured rounds per fork; one round prefills every configuration once (default: "
                        + "${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--warmup", defaultValue = "2", paramLabel = "N",
                description = "Unmeasured warm-up rounds per fork, at L = 512 (JIT; default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--warmup-length", defaultValue = "512", paramLabel = "L",
                description = "L of the warm-up rounds' prefills, at most each configuration's own: memory is bounded, "
                        + "so a shorter input runs the same chunk shapes (default: ${DEFAULT-VALUE}).")
        int warmupLength;

        @Option(names = "--forks", defaultValue = "4", paramLabel = "N",
                description = "JMH forks (fresh JVMs), each with its own warm-up (default: ${DEFAULT-VALUE}).")
        int forks;

        @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
                description = "Worker threads of the CPU backend and the calibration (default: ${DEFAULT-VALUE}: on a "
                        + "shared machine one thread is steadier; a baseline holds for one thread count).")
        int threads;

        @Option(names = "--record", paramLabel = "FILE",
                description = "Also append this run's per-configuration figures to FILE (e.g. "
                        + "results/ttft-gate-runs.csv), for the spread and stability records.")
        Path record;

        @Option(names = "--note", defaultValue = "", paramLabel = "TEXT",
                description = "A note stored with the recorded rows (e.g. 'stability 3/10').")
        String note;

        @Option(names = "--dump-rounds", paramLabel = "FILE",
                description = "Also write every measured round's TTFT and calibration time to FILE (CSV), to look "
                        + "into noise.")
        Path dumpRounds;

        /** TEST ONLY: CpuBackend's deliberate slowdown (see GateSensitivityTest); hidden from --help. */
        @Option(names = "--test-only-slowdown", hidden = true, defaultValue = "0", paramLabel = "PASSES")
        int testOnlySlowdown;

        List<GateConfig> configList() {
            return configs == null || configs.isEmpty() ? GateConfig.DEFAULTS
                    : configs.stream().map(GateConfig::parse).toList();
        }

        GateRunner.Plan plan() {
            if (testOnlySlowdown < 0) {
                throw new IllegalArgumentException("--test-only-slowdown must be >= 0");
            }
            return new GateRunner.Plan(configList(), backend, device, forks, warmup, warmupLength, rounds, threads,
                    testOnlySlowdown);
        }

        /** Measures, and dumps the rounds when asked. */
        GateMeasurement measure(GateRunner.Plan plan, PrintStream log) {
            GateMeasurement g = GateRunner.measure(plan, log);
            if (dumpRounds != null) {
                GateRoundsCsv.append(dumpRounds, g);
            }
            return g;
        }

        /** The command that refreshes this device's baseline, for messages. */
        String refreshCommand() {
            StringBuilder sb = new StringBuilder("bin/ttft-gate refresh");
            if (!backend.equals("cpu")) {
                sb.append(" --backend ").append(backend);
            }
            if (device != null) {
                sb.append(" --device '").append(device).append("'");
            }
            if (deviceKey != null) {
                sb.append(" --device-key '").append(deviceKey).append("'");
            }
            if (threads != 1) {
                sb.append(" --threads ").append(threads);
            }
            if (!baseline.equals(Path.of("results/ttft-baseline.csv"))) {
                sb.append(" --baseline ").append(baseline);
            }
            return sb.toString();
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Measure, compare with this device's baseline, print the report; exit 1 on a regression.")
    static final class Check implements Callable<Integer> {
        @Mixin
        MeasureOptions m;

        @Option(names = "--threshold", defaultValue = CONFIG_THRESHOLD, paramLabel = "RATIO",
                description = "A configuration fails when now / baseline exceeds this (default: ${DEFAULT-VALUE}).")
        double threshold;

        @Option(names = "--geomean-threshold", defaultValue = GEOMEAN_THRESHOLD, paramLabel = "RATIO",
                description = "The run fails when the geometric mean of the ratios exceeds this (default: "
                        + "${DEFAULT-VALUE}).")
        double geomeanThreshold;

        @Option(names = "--report", paramLabel = "FILE",
                description = "Also write the report to FILE (Markdown), e.g. for a CI job summary.")
        Path report;

        @CommandLine.ParentCommand
        TtftGate gate;

        @Override
        public Integer call() {
            PrintStream log = gate.err;
            GateCheck.Thresholds thresholds = new GateCheck.Thresholds(threshold, geomeanThreshold);
            GateRunner.Plan plan = m.plan();
            GateDevice device = GateDevice.resolve(m.backend, m.device, m.deviceKey);
            List<Baseline> baseline = baselineOf(m, device.key());
            Baseline first = baseline.getFirst();
            String calibrationId = GateRunner.calibrationId(m.backend);
            if (!first.calibrationId().equals(calibrationId) || first.threads() != plan.threads()) {
                throw new GateException(m.baseline + ": the baseline of '" + device.key() + "' was normalized by the "
                        + "calibration '" + first.calibrationId() + "' with " + first.threads() + " thread(s); this run "
                        + "uses '" + calibrationId + "' with " + plan.threads() + ": the figures are not comparable. "
                        + (first.threads() != plan.threads() ? "Pass --threads " + first.threads() + ", or r" : "R")
                        + "efresh the baseline: " + m.refreshCommand());
            }
            log.printf(Locale.ROOT, "TTFT gate: device key '%s', %d configurations, %d fork(s) x (%d warm-up + %d "
                    + "measured rounds)%n", device.key(), plan.configs().size(), plan.forks(), plan.warmups(), plan.rounds());
            String started = now();
            GateMeasurement measured = m.measure(plan, log);
            Map<String, Double> base = new LinkedHashMap<>(), now = new LinkedHashMap<>();
            baseline.forEach(b -> base.put(b.config(), b.normalized()));
            measured.rows().forEach(r -> now.put(r.config(), r.normalizedMedian()));
            GateCheck.Outcome outcome = GateCheck.compare(base, now, thresholds);
            String commit = Git.shortCommit();
            List<String> warnings = new ArrayList<>();
            if (plan.extraAttentionPasses() > 0) {
                warnings.add("TEST-ONLY SLOWDOWN ACTIVE (" + plan.extraAttentionPasses() + " extra attention passes): "
                        + "these figures do not describe the code");
            }
            if (!first.machine().equals(device.machine())) {
                warnings.add("the baseline was measured on " + first.machine() + "; normalized figures carry over "
                        + "between machines only approximately: if this machine fails while the code did not change, "
                        + "give it a baseline of its own (--device-key)");
            }
            String report = GateReport.render(outcome, measured.byConfig(), new GateReport.Context(device.key(),
                    m.baseline.toString(), String.format(Locale.ROOT, "%s at %s on %s, %d run(s) x %d rounds",
                    first.timestamp(), first.gitCommit(), first.machine(), first.runs(), first.rounds()),
                    String.format(Locale.ROOT, "%s at %s on %s", started, commit, device.machine()), calibrationId,
                    plan.rounds(), plan.forks(), thresholds, warnings, m.refreshCommand()));
            gate.out.print(report);
            gate.out.flush();
            if (this.report != null) {
                AtomicFile.write(this.report, o -> o.write(report.getBytes(StandardCharsets.UTF_8)));
            }
            if (m.record != null) {
                GateRunsCsv.append(m.record, records(outcome, measured, started, commit, device, plan));
                log.println("recorded in " + m.record);
            }
            return outcome.exitCode();
        }

        /** This run's rows for the record of runs: one per measured configuration. */
        private List<GateRunsCsv.Row> records(GateCheck.Outcome outcome, GateMeasurement measured, String started,
                                              String commit, GateDevice device, GateRunner.Plan plan) {
            List<GateRunsCsv.Row> rows = new ArrayList<>();
            String overall = outcome.regression() ? "regression" : outcome.incomplete() ? "no verdict" : "pass";
            for (GateCheck.Line l : outcome.lines()) {
                GateMeasurement.Row r = measured.byConfig().get(l.config());
                if (r != null) {
                    rows.add(new GateRunsCsv.Row(started, m.note, commit, device.key(), l.config(), l.now(),
                            r.ttftMedian(), r.calibrationMedian(), r.rounds(), l.baseline(), l.ratio(),
                            l.verdict().name().toLowerCase(Locale.ROOT), outcome.geomean(), overall,
                            plan.extraAttentionPasses(), device.machine()));
                }
            }
            return rows;
        }
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Measure this device's baseline deliberately and write it into the baseline file (other "
                    + "devices' rows are kept). Commit the file afterwards.",
                    "Each configuration's baseline is the median of --runs gate runs."})
    static final class Refresh implements Callable<Integer> {
        @Mixin
        MeasureOptions m;

        @Option(names = "--runs", defaultValue = "3", paramLabel = "N",
                description = "Gate runs whose medians are combined (default: ${DEFAULT-VALUE}).")
        int runs;

        @CommandLine.ParentCommand
        TtftGate gate;

        @Override
        public Integer call() {
            PrintStream log = gate.err;
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be at least 1, got " + runs);
            }
            GateRunner.Plan plan = m.plan();
            if (plan.extraAttentionPasses() > 0 && !Boolean.getBoolean("stepmem.testOnly.allowSlowBaseline")) {
                throw new IllegalArgumentException("refusing to write a baseline with the test-only slowdown active");
            }
            GateDevice device = GateDevice.resolve(m.backend, m.device, m.deviceKey);
            BaselineCsv.read(m.baseline); // an unreadable file fails now, not after the measurement
            List<GateMeasurement> measured = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                log.printf(Locale.ROOT, "TTFT gate baseline of '%s': run %d/%d, %d configurations%n", device.key(), i + 1,
                        runs, plan.configs().size());
                measured.add(m.measure(plan, log));
            }
            String calibrationId = measured.getFirst().calibrationId(), commit = Git.shortCommit(), stamp = now();
            String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
            List<Baseline> rows = new ArrayList<>();
            StringBuilder table = new StringBuilder("| configuration | normalized | run spread | round spread | TTFT (ms) "
                    + "| calibration (ms) |\n|---|---:|---:|---:|---:|---:|\n");
            for (GateConfig c : plan.configs()) {
                List<GateMeasurement.Row> mine = measured.stream().map(g -> g.byConfig().get(c.id())).toList();
                double[] medians = mine.stream().mapToDouble(GateMeasurement.Row::normalizedMedian).toArray();
                double median = Stats.median(medians);
                double runSpread = (java.util.Arrays.stream(medians).max().orElseThrow()
                        - java.util.Arrays.stream(medians).min().orElseThrow()) / median;
                double roundSpread = Stats.median(mine.stream().mapToDouble(GateMeasurement.Row::roundSpread).toArray());
                double ttft = Stats.median(mine.stream().mapToDouble(GateMeasurement.Row::ttftMedian).toArray());
                double cal = Stats.median(mine.stream().mapToDouble(GateMeasurement.Row::calibrationMedian).toArray());
                rows.add(new Baseline(device.key(), c.id(), median, runSpread, roundSpread, runs,
                        plan.rounds() * plan.forks(), ttft, cal, calibrationId, plan.threads(), commit, device.machine(),
                        jvm, stamp));
                table.append(String.format(Locale.ROOT, "| %s | %.4f | %.1f%% | %.1f%% | %.0f | %.1f |%n", c.id(), median,
                        100 * runSpread, 100 * roundSpread, ttft, cal));
            }
            BaselineCsv.replaceDevice(m.baseline, rows);
            PrintStream out = gate.out;
            out.printf("## TTFT gate baseline of `%s` written to %s%n%n%s%n", device.key(), m.baseline, table);
            out.printf("Measured at %s on %s (%d run(s) x %d rounds, calibration %s). Commit %s to make it the "
                    + "baseline CI compares with.%n", commit, device.machine(), runs, plan.rounds() * plan.forks(),
                    calibrationId, m.baseline);
            out.flush();
            return 0;
        }
    }

    @Command(name = "spread", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Summarize recorded runs (check --record): per configuration the ratios unchanged code "
                    + "produced, per run its largest ratio and geometric mean. Runs with the test-only slowdown are "
                    + "left out.")
    static final class Spread implements Callable<Integer> {
        @Option(names = "--records", defaultValue = "results/ttft-gate-runs.csv", paramLabel = "FILE",
                description = "The record of runs (default: ${DEFAULT-VALUE}).")
        Path records;

        @Option(names = "--device-key", defaultValue = "cpu", paramLabel = "KEY",
                description = "Whose runs (default: ${DEFAULT-VALUE}).")
        String deviceKey;

        @Option(names = "--note", paramLabel = "PREFIX", description = "Only runs whose note starts with PREFIX.")
        String note;

        @CommandLine.ParentCommand
        TtftGate gate;

        @Override
        public Integer call() {
            gate.out.print(GateSpread.summarize(GateRunsCsv.read(records), deviceKey, note));
            gate.out.flush();
            return 0;
        }
    }

    /** The rows of one device key, or a GateException telling how to make them. */
    static List<Baseline> baselineOf(MeasureOptions m, String key) {
        List<Baseline> all = BaselineCsv.read(m.baseline).orElseThrow(() -> new GateException("no baseline file "
                + m.baseline + ": measure one on this machine with: " + m.refreshCommand()));
        List<Baseline> mine = all.stream().filter(b -> b.deviceKey().equals(key)).toList();
        if (mine.isEmpty()) {
            throw new GateException(m.baseline + " has no baseline for device key '" + key + "' (it has: "
                    + String.join(", ", all.stream().map(Baseline::deviceKey).distinct().toList())
                    + "); measure one on this device with: " + m.refreshCommand());
        }
        return mine;
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
