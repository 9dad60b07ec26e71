package dev.stepmem.bench;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.Llama2cLoader;
import dev.stepmem.prefill.ChunkedPrefill;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillResult;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.results.Stats;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * FM vs IM vs IMDC side by side in one JVM (the benchmark): stories15M, for every
 * (L, m_max, compressor, attention mode), the three methods run in turn, {@code --reps} times
 * with the order rotated each round, so they share the machine's state; TTFT is the median per
 * method, peak memory comes from the ledger (deterministic). Prints a Markdown table with the
 * FM/IM and FM/IMDC ratios and writes every run to a CSV file.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   -cp benchmarks/target/benchmarks.jar dev.stepmem.bench.MethodComparison
 * </pre>
 */
@Command(name = "MethodComparison", mixinStandardHelpOptions = true, sortOptions = false,
        description = "TTFT and peak memory of FM, IM and IMDC side by side on stories15M (METHOD.md §7's scaled "
                + "analogue): Markdown table on stdout, every run in a CSV file.")
public final class MethodComparison implements Callable<Integer> {
    @Option(names = "--lengths", split = ",", defaultValue = "8192,32768", paramLabel = "L,...",
            description = "Input lengths L (default: ${DEFAULT-VALUE}).")
    int[] lengths;

    @Option(names = "--memories", split = ",", defaultValue = "32,64,128", paramLabel = "M,...",
            description = "Memory limits m_max (default: ${DEFAULT-VALUE}).")
    int[] memories;

    @Option(names = {"-c", "--chunk"}, defaultValue = "128", paramLabel = "N", description = "Chunk size c (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--compressors", split = ",", defaultValue = "snapkv,streamingllm", paramLabel = "C,...",
            description = "Compressors (default: ${DEFAULT-VALUE}).")
    String[] compressors;

    @Option(names = "--attention", split = ",", defaultValue = "eager,flash", paramLabel = "MODE,...",
            description = "Attention modes (default: ${DEFAULT-VALUE}).")
    String[] attentionModes;

    @Option(names = "--function", defaultValue = "linear", paramLabel = "F",
            description = "IM/IMDC incremental function (default: ${DEFAULT-VALUE}).")
    String function;

    @Option(names = "--reps", defaultValue = "3", paramLabel = "N",
            description = "Timed runs per method and setting; TTFT is their median (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup-length", defaultValue = "8192", paramLabel = "L",
            description = "Length of the untimed warm-up runs, one per compressor and mode (default: ${DEFAULT-VALUE}).")
    int warmupLength;

    @Option(names = "--csv", defaultValue = "results/method-comparison.csv", paramLabel = "FILE",
            description = "Where every timed run goes (rewritten after each setting; default: ${DEFAULT-VALUE}).")
    Path csv;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Seed of the random input token ids (TTFT and memory do not depend on them).")
    long seed;

    private static final Method[] METHODS = {Method.FM, Method.IM, Method.IMDC};
    private static final double MIB = 1024.0 * 1024.0;

    /** One timed run. */
    private record Run(int length, int memory, String compressor, AttentionMode attention, Method method, int rep,
                       long ttftNanos, long peakBytes, long weightBytes) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new MethodComparison()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        // Check every setting before the first run, so a typo does not surface after twenty minutes.
        List<AttentionMode> modes = Arrays.stream(attentionModes).map(AttentionMode::parse).toList();
        for (String c : compressors) {
            for (int l : lengths) {
                for (int m : memories) {
                    for (Method method : METHODS) {
                        settings(method, c, l, m, modes.getFirst()).plan(6);
                    }
                }
            }
        }
        if (reps < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--reps must be at least 1");
        }
        List<Run> runs = new ArrayList<>();
        try (ModelWeights weights = Llama2cLoader.load(Stories15m.ensureModel())) {
            int vocab = weights.config().vocabSize();
            System.err.printf("warm-up: L=%d, every compressor and mode%n", warmupLength);
            for (String c : compressors) {
                for (AttentionMode mode : modes) {
                    run(weights, settings(Method.IMDC, c, warmupLength, memories[0], mode), tokens(warmupLength, vocab));
                }
            }
            StringBuilder table = new StringBuilder(header());
            for (int l : lengths) {
                int[] input = tokens(l, vocab);
                for (int m : memories) {
                    for (String c : compressors) {
                        for (AttentionMode mode : modes) {
                            List<Run> group = new ArrayList<>();
                            for (int rep = 0; rep < reps; rep++) {
                                for (int i = 0; i < METHODS.length; i++) {
                                    Method method = METHODS[(i + rep) % METHODS.length]; // rotate the order
                                    PrefillResult r = run(weights, settings(method, c, l, m, mode), input);
                                    long w = r.peakByCategory().getOrDefault("weights", 0L);
                                    group.add(new Run(l, m, c, mode, method, rep, r.ttftNanos(), r.peakBytes(), w));
                                    System.err.printf(Locale.ROOT, "L=%d m=%d %s %s %s rep %d: %.0f ms, peak %.2f MiB%n",
                                            l, m, c, mode.cliName(), method.cliName(), rep, r.ttftNanos() / 1e6,
                                            r.peakBytes() / MIB);
                                }
                            }
                            runs.addAll(group);
                            table.append(row(group));
                            writeCsv(runs);
                        }
                    }
                }
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "stories15M, c = %d, IM/IMDC function %s, %d timed runs per cell (median), "
                    + "%d threads, random token ids (seed %d). Peak = ledger peak (weights %.1f MiB included); "
                    + "\"excl. weights\" = activations + KV memory + score maps.%n%n", chunk, function, reps,
                    dev.stepmem.backend.cpu.Parallel.threads(), seed, runs.getFirst().weightBytes() / MIB);
            System.out.print(table);
            System.out.printf("%nEvery run: %s%n", csv);
        }
        return 0;
    }

    private PrefillSettings settings(Method method, String compressor, int l, int m, AttentionMode mode) {
        return new PrefillSettings(method, function, Compressors.parse(compressor), l, chunk, m, mode);
    }

    private static PrefillResult run(ModelWeights weights, PrefillSettings s, int[] tokens) {
        return ChunkedPrefill.run(weights, new CpuBackend(), s, tokens, null);
    }

    private int[] tokens(int n, int vocab) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(vocab);
        }
        t[0] = 1; // BOS
        return t;
    }

    private static String header() {
        return "| L | m_max | compressor | attention | TTFT FM (ms) | TTFT IM | TTFT IMDC | FM/IM | FM/IMDC "
                + "| peak FM (MiB) | peak IMDC | IMDC saves | excl. weights FM (MiB) | IM | IMDC | IMDC saves |\n"
                + "|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    }

    private static String row(List<Run> group) {
        Run first = group.getFirst();
        double[] ttft = new double[METHODS.length];
        double[] peak = new double[METHODS.length];
        double[] rest = new double[METHODS.length];
        for (int i = 0; i < METHODS.length; i++) {
            Method method = METHODS[i];
            List<Run> mine = group.stream().filter(r -> r.method() == method).toList();
            ttft[i] = Stats.median(mine.stream().mapToDouble(r -> r.ttftNanos() / 1e6).toArray());
            peak[i] = mine.getFirst().peakBytes() / MIB;
            rest[i] = (mine.getFirst().peakBytes() - mine.getFirst().weightBytes()) / MIB;
        }
        return String.format(Locale.ROOT,
                "| %d | %d | %s | %s | %.0f | %.0f | %.0f | %.2fx | %.2fx | %.2f | %.2f | %.1f%% | %.2f | %.2f | %.2f | %.1f%% |%n",
                first.length(), first.memory(), first.compressor(), first.attention().cliName(), ttft[0], ttft[1],
                ttft[2], ttft[0] / ttft[1], ttft[0] / ttft[2], peak[0], peak[2], 100 * (1 - peak[2] / peak[0]),
                rest[0], rest[1], rest[2], 100 * (1 - rest[2] / rest[0]));
    }

    /** Rewrites the CSV through a temp file and a rename, so it is never half-written. */
    private void writeCsv(List<Run> runs) {
        dev.stepmem.io.AtomicFile.write(csv, stream -> {
            Writer out = new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8);
            CSVPrinter p = CSVFormat.DEFAULT.builder().setHeader("model", "length", "chunk", "memory", "compressor",
                    "attention", "method", "function", "rep", "ttft_ms", "peak_bytes", "weight_bytes").get().print(out);
            for (Run r : runs) {
                p.printRecord("stories15M", r.length(), chunk, r.memory(), r.compressor(), r.attention().cliName(),
                        r.method().cliName(), r.method() == Method.FM ? "" : function, r.rep(),
                        String.format(Locale.ROOT, "%.3f", r.ttftNanos() / 1e6), r.peakBytes(), r.weightBytes());
            }
            p.flush();
        });
    }
}
