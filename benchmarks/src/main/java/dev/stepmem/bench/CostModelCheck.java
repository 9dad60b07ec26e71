package dev.stepmem.bench;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.backend.RopeStyle;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.sim.SimBackend;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.Llama2cLoader;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.modeled.ModeledPrefill;
import dev.stepmem.prefill.ChunkedPrefill;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillResult;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ImplementationProfile;
import dev.stepmem.profiles.ProfileRegistry;
import dev.stepmem.results.RunRecordCsv;
import dev.stepmem.results.RunRecord;
import dev.stepmem.tensor.DType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Checks the cost model against this machine: each configuration runs on the CPU backend
 * (measured, median of --reps after a warm-up run) and on the sim backend with the cpu-host
 * profile (modeled), and the table gives predicted vs measured TTFT and peak memory with the
 * error. Models: stories15M (real weights) and a LLaMA-2-7B-shaped model with fewer layers
 * (same per-layer shapes and vocabulary, seeded synthetic bf16 weights; the full 32 layers take
 * minutes per run on two cores).
 *
 * <pre>
 * bin/stepmem calibrate          # writes profiles/cpu-host.toml first
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   -cp benchmarks/target/benchmarks.jar dev.stepmem.bench.CostModelCheck
 * </pre>
 */
@Command(name = "CostModelCheck", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predicted (sim, cpu-host profile) vs measured (cpu backend) TTFT and peak memory.")
public final class CostModelCheck implements Callable<Integer> {
    @Option(names = "--profile", defaultValue = "cpu-host", paramLabel = "NAME", description = "Profile of this machine (default: ${DEFAULT-VALUE}).")
    String profileName;

    @Option(names = "--profiles-dir", paramLabel = "DIR", description = "Profiles folder (default: as the CLI finds it).")
    Path profilesDir;

    @Option(names = "--reps", defaultValue = "3", paramLabel = "N", description = "Measured runs per configuration (median).")
    int reps;

    @Option(names = "--small-lengths", split = ",", defaultValue = "1024,4096", paramLabel = "L,...",
            description = "stories15M lengths (c = m_max = 128) (default: ${DEFAULT-VALUE}).")
    int[] smallLengths;

    @Option(names = "--big-lengths", split = ",", defaultValue = "512,1024", paramLabel = "L,...",
            description = "7B-shaped lengths (c = m_max = 256) (default: ${DEFAULT-VALUE}).")
    int[] bigLengths;

    @Option(names = "--big-layers", defaultValue = "4", paramLabel = "N",
            description = "Layers of the 7B-shaped model (32 = the whole LLaMA-2-7B; 0 = skip it) (default: ${DEFAULT-VALUE}).")
    int bigLayers;

    @Option(names = "--csv", defaultValue = "results/cost-model-check.csv", paramLabel = "FILE",
            description = "Where both rows of every configuration go (default: ${DEFAULT-VALUE}).")
    Path csv;

    /** One configuration's two sides. */
    private record Pair(String model, PrefillSettings settings, double measuredMs, double modeledMs, long measuredPeak,
                        long modeledPeak) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CostModelCheck()).execute(args));
    }

    /** The implementation the CPU runs are modeled as. */
    private ImplementationProfile efficient;

    @Override
    public Integer call() {
        ProfileRegistry registry = ProfileRegistry.locate(profilesDir);
        DeviceProfile profile = registry.get(profileName);
        efficient = registry.implementation("efficient"); // the CPU backends' own code path
        List<Pair> pairs = new ArrayList<>();
        List<RunRecord> rows = new ArrayList<>();
        try (ModelWeights small = Llama2cLoader.load(Stories15m.ensureModel())) {
            check("stories15M", small, profile, smallLengths, 128, pairs, rows);
        }
        if (bigLayers == 0) { // stories15M only
            RunRecordCsv.append(csv, rows);
            print(profile, pairs);
            return 0;
        }
        ModelConfig l7 = ModelConfig.llama2_7b();
        ModelConfig shaped = new ModelConfig("llama", l7.dim(), l7.hiddenDim(), bigLayers, l7.nHeads(), l7.nKvHeads(),
                l7.vocabSize(), l7.contextLength(), l7.normEps(), l7.ropeTheta(), RopeStyle.ROTATE_HALF,
                l7.dynamicNtkContext(), false);
        System.err.printf("creating synthetic LLaMA-2-7B-shaped weights with %d layers (bf16) ...%n", bigLayers);
        try (ModelWeights big = SyntheticWeights.create(shaped, DType.BF16, 1)) {
            check("llama2-7b-" + bigLayers + "L", big, profile, bigLengths, 256, pairs, rows);
        }
        RunRecordCsv.append(csv, rows);
        print(profile, pairs);
        return 0;
    }

    private void check(String model, ModelWeights w, DeviceProfile profile, int[] lengths, int c, List<Pair> pairs,
                       List<RunRecord> rows) {
        List<PrefillSettings> configs = new ArrayList<>();
        for (int l : lengths) {
            for (Method m : new Method[] {Method.FM, Method.IMDC}) {
                configs.add(new PrefillSettings(m, "linear", Compressors.parse("snapkv"), l, c, c, AttentionMode.EAGER));
                configs.add(new PrefillSettings(m, "linear", Compressors.parse("streamingllm"), l, c, c, AttentionMode.FLASH));
            }
        }
        // one untimed run per attention mode at the first length warms the JIT up
        for (PrefillSettings s : configs.subList(0, 2)) {
            ChunkedPrefill.run(w, new CpuBackend(), s, tokens(s.length(), w.config().vocabSize()), null);
        }
        SimBackend.Precision precision = SimBackend.Precision.forDevice(profile, w.matrixType());
        for (PrefillSettings s : configs) {
            int[] input = tokens(s.length(), w.config().vocabSize());
            double[] ms = new double[reps];
            long peak = 0;
            for (int r = 0; r < reps; r++) {
                PrefillResult res = ChunkedPrefill.run(w, new CpuBackend(), s, input, null);
                ms[r] = res.ttftNanos() / 1e6;
                peak = res.peakBytes();
            }
            double measured = dev.stepmem.results.Stats.median(ms);
            ModeledPrefill.Outcome o = ModeledPrefill.run(w, profile, efficient, precision, s, Long.MAX_VALUE);
            Pair p = new Pair(model, s, measured, o.ttftNanos() / 1e6, peak, o.peakBytes());
            pairs.add(p);
            System.err.printf(Locale.ROOT, "%s %s: measured %.0f ms, modeled %.0f ms (%+.1f%%); peak %d vs %d%n",
                    model, s, measured, p.modeledMs(), 100 * (p.modeledMs() / measured - 1), peak, o.peakBytes());
            String now = Instant.now().toString();
            String dtype = w.matrixType().name().toLowerCase(Locale.ROOT);
            String weights = model.startsWith("stories") ? "real" : "synthetic";
            rows.add(new RunRecord("measured", "cpu", profile.name(), profile.shortHash(), model, weights, dtype, s,
                    s.method().cliName(), measured, peak, false, peak, Long.MAX_VALUE, now));
            rows.add(new RunRecord("modeled", "sim:" + profile.name(), profile.name(), profile.shortHash(), model,
                    weights, dtype, s, s.method().cliName(), p.modeledMs(), o.peakBytes(), false, o.peakBytes(),
                    Long.MAX_VALUE, now));
        }
    }

    private static int[] tokens(int n, int vocab) {
        SplittableRandom r = new SplittableRandom(1);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = 3 + r.nextInt(vocab - 3);
        }
        t[0] = 1;
        return t;
    }

    private void print(DeviceProfile profile, List<Pair> pairs) {
        System.out.printf(Locale.ROOT, "%nprofile %s (%s, sha256 %s); measured = median of %d cpu runs after a warm-up%n%n",
                profile.name(), profile.file(), profile.shortHash(), reps);
        System.out.println("| model | method | compressor | attention | L | c = m_max | measured TTFT (ms) | modeled TTFT (ms) "
                + "| error | measured peak (bytes) | modeled peak (bytes) |");
        System.out.println("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        double[] errors = new double[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            Pair p = pairs.get(i);
            errors[i] = Math.abs(p.modeledMs() / p.measuredMs() - 1);
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %d | %d | %.0f | %.0f | %+.1f%% | %d | %d |%n", p.model(),
                    p.settings().method().cliName(), p.settings().compressor().name(), p.settings().attention().cliName(),
                    p.settings().length(), p.settings().chunk(), p.measuredMs(), p.modeledMs(),
                    100 * (p.modeledMs() / p.measuredMs() - 1), p.measuredPeak(), p.modeledPeak());
        }
        boolean peaksEqual = pairs.stream().allMatch(p -> p.measuredPeak() == p.modeledPeak());
        System.out.printf(Locale.ROOT, "%nmedian absolute TTFT error %.1f%% over %d configurations (max %.1f%%); "
                + "peaks equal in every configuration: %s%n", 100 * dev.stepmem.results.Stats.median(errors), pairs.size(),
                100 * java.util.Arrays.stream(errors).max().orElse(0), peaksEqual);
        System.out.println("rows: " + csv);
    }
}
