package dev.stepmem.bench;

import dev.stepmem.results.Stats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link FmaPeakBenchmark} (1 thread and all threads) and {@link MatmulBenchmark} in one
 * go and prints a Markdown table: shape, weight dtype, GFLOP/s, % of the all-core FMA peak.
 * Figures are medians over the measurement iterations (robust to a neighbour's burst on a
 * shared machine), with the best iteration beside them. The all-core peak runs before and
 * after the matmuls; the higher of the two is the reference, so the percentages are
 * conservative.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.stepmem.bench.MatmulReport
 * </pre>
 * The JVM must be a JDK 25. Arguments are JMH's own command-line options and override the
 * benchmarks' defaults, e.g. {@code -wi 1 -i 2} for a quick run or
 * {@code -p shape=256x4096x4096 -p dtype=F16}. {@code -Dstepmem.threads=N} is passed on to the
 * forked benchmark JVMs and sets the FMA peak's thread count too.
 */
public final class MatmulReport {
    private static final List<String> JVM_ARGS =
            List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED");

    private MatmulReport() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cmd = new CommandLineOptions(args);
        List<String> jvm = new ArrayList<>(JVM_ARGS);
        String threadsProp = System.getProperty("stepmem.threads");
        int threads = Runtime.getRuntime().availableProcessors();
        if (threadsProp != null) {
            jvm.add("-Dstepmem.threads=" + threadsProp);
            threads = Integer.parseInt(threadsProp);
        }

        double peak1 = peak(cmd, jvm, 1);
        double peakBefore = peak(cmd, jvm, threads);
        Collection<RunResult> matmuls = new Runner(new OptionsBuilder().parent(cmd)
                .include(MatmulBenchmark.class.getName() + ".matmul$")
                .forks(cmd.getForkCount().orElse(1))
                .jvmArgsAppend(jvm.toArray(String[]::new))
                .build()).run();
        RunResult prefill = new Runner(new OptionsBuilder().parent(cmd)
                .include(PrefillBenchmark.class.getName() + ".prefill$")
                .forks(cmd.getForkCount().orElse(1))
                .jvmArgsAppend(jvm.toArray(String[]::new))
                .build()).runSingle();
        double peakAfter = peak(cmd, jvm, threads);
        double peakAll = Math.max(peakBefore, peakAfter);

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%nCPU matmul (CpuMatmul.matmul, %d threads) against the FP32 FMA peak%n",
                threads));
        md.append(String.format(Locale.ROOT, "Machine: %s; %s; FloatVector %d-bit (%d lanes).%n", cpuModel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                FloatVector.SPECIES_PREFERRED.vectorBitSize(), FloatVector.SPECIES_PREFERRED.length()));
        md.append(String.format(Locale.ROOT,
                "FMA peak (register-only Vector API loop): 1 thread %.1f GFLOP/s; %d threads %.1f GFLOP/s "
                        + "(runs before / after the matmuls: %.1f / %.1f).%n%n",
                peak1, threads, peakAll, peakBefore, peakAfter));
        md.append("| shape (rows x k x n) | weights | GFLOP/s | best iteration | % of all-core peak |\n");
        md.append("|---|---|---:|---:|---:|\n");
        for (RunResult r : matmuls) {
            String shape = r.getParams().getParam("shape");
            String dtype = r.getParams().getParam("dtype");
            double[] it = iterations(r, MatmulBenchmark.flops(shape) / 1e9);
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.0f%% |%n",
                    shape, dtype, Stats.median(it), it[it.length - 1], 100 * Stats.median(it) / peakAll));
        }
        md.append("\n(GFLOP/s: median of the measurement iterations; one op = one whole matmul.)\n");
        int tokens = Integer.parseInt(prefill.getParams().getParam("tokens"));
        double ms = Stats.median(iterations(prefill, 1.0)); // ms per prefill (AverageTime)
        double gflop = PrefillBenchmark.flopsPerPrefill(tokens) / 1e9;
        md.append(String.format(Locale.ROOT, "%nstories15M prefill (one forward of %d tokens, full attention, last logits)%n%n", tokens));
        md.append("| tokens | ms per prefill | tokens/s | GFLOP/s | % of all-core peak |\n|---:|---:|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| %d | %.1f | %.0f | %.1f | %.0f%% |%n", tokens, ms,
                tokens / (ms / 1e3), gflop / (ms / 1e3), 100 * gflop / (ms / 1e3) / peakAll));
        md.append(String.format(Locale.ROOT, "%n(median of the iterations; %.2f GFLOP per prefill: matmuls, attention, classifier.)%n", gflop));
        System.out.print(md);
    }

    /** The FMA peak in GFLOP/s over the given number of threads (JMH sums their throughputs). */
    private static double peak(Options cmd, List<String> jvm, int threads) throws RunnerException {
        Options opt = new OptionsBuilder().parent(cmd)
                .include(FmaPeakBenchmark.class.getName() + ".fma$")
                .threads(threads)
                .forks(cmd.getForkCount().orElse(1))
                .jvmArgsAppend(jvm.toArray(String[]::new))
                .build();
        RunResult r = new Runner(opt).runSingle();
        return Stats.median(iterations(r, FmaPeakBenchmark.flopsPerOp() / 1e9));
    }

    /** The measurement iterations' scores (ops/s, summed over threads) times gflopPerOp, sorted. */
    private static double[] iterations(RunResult r, double gflopPerOp) {
        return r.getBenchmarkResults().stream()
                .flatMap(b -> b.getIterationResults().stream())
                .mapToDouble(i -> i.getPrimaryResult().getScore() * gflopPerOp)
                .sorted().toArray();
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim() + ", "
                            + Runtime.getRuntime().availableProcessors() + " cores";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }
}
