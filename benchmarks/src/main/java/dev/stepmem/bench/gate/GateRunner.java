package dev.stepmem.bench.gate;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link TtftGateBenchmark} through JMH's Runner API ({@code forks} JVMs, each {@code warmups}
 * unmeasured rounds at {@code warmupLength} then {@code rounds} measured ones) and collects every
 * measured round's figures from {@link GateFiguresProfiler}. Progress goes to {@code log}, one line per round; JMH's own
 * output is kept and shown only when the run fails.
 */
final class GateRunner {
    /** The system property behind the test-only slowdown (read by CpuBackend in the fork). */
    static final String SLOWDOWN_PROPERTY = "stepmem.testOnly.extraAttentionPasses";

    /**
     * How to measure.
     *
     * @param extraAttentionPasses TEST ONLY: the deliberate slowdown (0 = none)
     * @param threads              the CPU backend's and the calibration's threads
     */
    record Plan(List<GateConfig> configs, String backend, String device, int forks, int warmups, int warmupLength,
                int rounds, int threads, int extraAttentionPasses) {
        Plan {
            configs = List.copyOf(configs);
            if (configs.isEmpty()) {
                throw new IllegalArgumentException("no configurations to measure");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            if (warmupLength < 1) {
                throw new IllegalArgumentException("--warmup-length must be at least 1, got " + warmupLength);
            }
            if (forks < 1 || warmups < 0 || rounds < 1) {
                throw new IllegalArgumentException("need forks >= 1, warm-up rounds >= 0 and rounds >= 1, got "
                        + forks + ", " + warmups + ", " + rounds);
            }
        }

        List<String> jvmArgs() {
            List<String> args = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector",
                    "--enable-native-access=ALL-UNNAMED"));
            args.add("-Dstepmem.threads=" + threads);
            if (extraAttentionPasses > 0) {
                args.add("-D" + SLOWDOWN_PROPERTY + "=" + extraAttentionPasses);
            }
            return args;
        }
    }

    static {
        // JMH's global lock (/tmp/jmh.lock) makes a second JMH run on the machine fail at once. The gate
        // is built for shared machines where someone else may be benchmarking: it must neither fail
        // because of them nor block them, so it runs without the lock (JMH reads this at Runner's init).
        System.setProperty("jmh.ignoreLock", "true");
    }

    private GateRunner() {
    }

    /** The calibration a backend's runs are normalized by (the benchmark picks the same). */
    static String calibrationId(String backend) {
        return backend.equals("cpu") ? CpuCalibration.ID : DeviceCalibration.ID;
    }

    static GateMeasurement measure(Plan plan, PrintStream log) {
        Progress progress = new Progress(plan, log);
        RunResult result;
        try {
            result = new Runner(new OptionsBuilder()
                    .include(TtftGateBenchmark.class.getName() + ".round$")
                    .param("configs", String.join(";", plan.configs().stream().map(GateConfig::id).toList()))
                    .param("backend", plan.backend())
                    .param("device", plan.device() == null ? "" : plan.device())
                    .param("warmupLength", Integer.toString(plan.warmupLength()))
                    .forks(plan.forks()).warmupIterations(plan.warmups()).measurementIterations(plan.rounds())
                    .jvmArgsAppend(plan.jvmArgs().toArray(String[]::new))
                    .addProfiler(GateFiguresProfiler.class).shouldFailOnError(true)
                    .build(), progress).runSingle();
        } catch (RunnerException | RuntimeException e) {
            progress.dumpKept();
            throw new IllegalStateException("the gate's JMH run failed (" + e.getMessage() + "); JMH's output is above", e);
        }
        return collect(result);
    }

    /** Every measured round of every fork: per configuration, (TTFT ms, calibration ms) pairs. */
    static GateMeasurement collect(RunResult result) {
        Map<String, List<double[]>> rounds = new LinkedHashMap<>();
        String calibrationId = null;
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            for (IterationResult it : fork.getIterationResults()) {
                Map<String, Result> r = it.getSecondaryResults();
                for (String label : r.keySet()) {
                    if (label.startsWith(GateFiguresProfiler.CALIBRATION_ID)) {
                        calibrationId = label.substring(GateFiguresProfiler.CALIBRATION_ID.length());
                    } else if (label.startsWith(GateFiguresProfiler.PREFILL)) {
                        String id = label.substring(GateFiguresProfiler.PREFILL.length());
                        Result cal = r.get(GateFiguresProfiler.CALIBRATION + id);
                        rounds.computeIfAbsent(id, k -> new ArrayList<>())
                                .add(new double[] {r.get(label).getScore(), cal.getScore()});
                    }
                }
            }
        }
        if (calibrationId == null || rounds.isEmpty()) {
            throw new IllegalStateException("the gate's JMH run returned no figures (was GateFiguresProfiler active?)");
        }
        return GateMeasurement.of(calibrationId, rounds);
    }

    /** One line per round; JMH's text kept (last lines) for a failure. */
    private static final class Progress implements OutputFormat {
        private final Plan plan;
        private final PrintStream log;
        private final Deque<String> kept = new ArrayDeque<>();
        private final StringBuilder partial = new StringBuilder();
        private final long start = System.nanoTime();
        private int fork;

        Progress(Plan plan, PrintStream log) {
            this.plan = plan;
            this.log = log;
        }

        @Override
        public void startBenchmark(BenchmarkParams params) {
        }

        @Override
        public void iteration(BenchmarkParams params, IterationParams ip, int n) {
            if (ip.getType() == IterationType.WARMUP && n == 1) {
                fork++;
            }
        }

        @Override
        public void iterationResult(BenchmarkParams params, IterationParams ip, int n, IterationResult r) {
            boolean warmup = ip.getType() == IterationType.WARMUP;
            log.printf(Locale.ROOT, "  fork %d/%d, %s round %d/%d: %.1f s (%d prefills), %.0f s elapsed%n",
                    Math.max(fork, 1), plan.forks(), warmup ? "warm-up" : "measured", n, ip.getCount(),
                    r.getPrimaryResult().getScore() / 1000, plan.configs().size(), (System.nanoTime() - start) / 1e9);
        }

        @Override
        public void endBenchmark(BenchmarkResult result) {
        }

        @Override
        public void startRun() {
        }

        @Override
        public void endRun(Collection<RunResult> result) {
        }

        @Override
        public void print(String s) {
            keep(s);
        }

        @Override
        public void println(String s) {
            keep(s + "\n");
        }

        @Override
        public void verbosePrintln(String s) {
            keep(s + "\n");
        }

        @Override
        public void write(int b) {
            keep(String.valueOf((char) b));
        }

        @Override
        public void write(byte[] b) {
            keep(new String(b, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        private synchronized void keep(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\n') {
                    kept.addLast(partial.toString());
                    partial.setLength(0);
                    if (kept.size() > 200) {
                        kept.removeFirst();
                    }
                } else {
                    partial.append(c);
                }
            }
        }

        synchronized void dumpKept() {
            kept.forEach(log::println);
            if (!partial.isEmpty()) {
                log.println(partial);
            }
        }
    }
}
