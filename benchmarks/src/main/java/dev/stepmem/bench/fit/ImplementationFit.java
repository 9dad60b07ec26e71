package dev.stepmem.bench.fit;

import dev.stepmem.backend.sim.SimBackend;
import dev.stepmem.exit.ExitCodes;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.modeled.ModeledPrefill;
import dev.stepmem.prefill.Method;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ImplementationProfile;
import dev.stepmem.profiles.ProfileRegistry;
import dev.stepmem.results.Stats;
import dev.stepmem.tensor.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The implementation profile against the paper's own bars: LLaMA-2-7B (bf16) modeled on a device
 * profile with an implementation profile, bar by bar beside the paper's Fig 4 values.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.stepmem.bench.fit.ImplementationFit --fit     # fit, then the table
 * java -cp benchmarks/target/benchmarks.jar dev.stepmem.bench.fit.ImplementationFit           # the table as the file stands
 * java -cp benchmarks/target/benchmarks.jar dev.stepmem.bench.fit.ImplementationFit --predict rtx3090-24gb
 * </pre>
 * The fit's free parameters: for time, the eager-map-bandwidth and flash fractions and the
 * dispatch overhead (the GEMM fraction is the profile's, not fitted); for memory, the bytes per KV
 * element, per kept-map element, and the reserve.
 * Time is linear in 1 / fraction and in the dispatch overhead, once each op's bound (compute or
 * bytes) is fixed, so each round runs the bars, splits each modeled time by parameter and solves a
 * least-squares problem on relative errors; a few rounds settle the bounds. Memory is linear in
 * its three parameters (each category's elements are fixed by the schedule).
 */
@Command(name = "implementation-fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fit an implementation profile on the paper's Fig 4 bars, show the fit, or predict other bars.")
public final class ImplementationFit implements Callable<Integer> {
    @Option(names = "--implementation", defaultValue = "reference-eager", paramLabel = "NAME",
            description = "Implementation profile (default: ${DEFAULT-VALUE}).")
    String implementationName;

    @Option(names = "--device", defaultValue = "a800-80gb", paramLabel = "PROFILE",
            description = "Device profile of the paper's bars (default: ${DEFAULT-VALUE}).")
    String deviceName;

    @Option(names = "--paper", defaultValue = "results/paper-fig4-a800.csv", paramLabel = "FILE",
            description = "The paper's bars (default: ${DEFAULT-VALUE}).")
    Path paper;

    @Option(names = "--length", defaultValue = "32768", paramLabel = "L",
            description = "Input length of the paper's bars (default: ${DEFAULT-VALUE}; not recorded in the paper).")
    int length;

    @Option(names = "--fit", description = "Fit the free parameters first; print them as the profile's lines.")
    boolean fit;

    @Option(names = "--rounds", defaultValue = "6", paramLabel = "N", description = "Fit rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--predict", paramLabel = "PROFILE",
            description = "Instead: predict Fig 4's RTX 3090 panels (L = 8192; SnapKV eager c = 512, m_max 128/256/512; "
                    + "StreamingLLM flash c = 2048, m_max 512/1024/2048) on this device profile, with this "
                    + "implementation and with efficient.")
    String predict;

    @Option(names = "--profiles-dir", paramLabel = "DIR", description = "Folder of profiles (default: ./profiles).")
    Path profilesDir;

    public static void main(String[] args) {
        System.exit(ExitCodes.run(new picocli.CommandLine(new ImplementationFit()), ExitCodes.engineErrors(), args));
    }

    @Override
    public Integer call() {
        ProfileRegistry registry = ProfileRegistry.locate(profilesDir);
        ImplementationProfile impl = registry.implementation(implementationName);
        try (ModelWeights w = SyntheticWeights.shapesOnly(ModelConfig.llama2_7b(), DType.BF16)) {
            if (predict != null) {
                DeviceProfile device = registry.get(predict);
                System.out.println(Predictions.table(w, device, List.of(impl, registry.implementation("efficient"))));
                return 0;
            }
            DeviceProfile device = registry.get(deviceName);
            List<PaperBar> bars = PaperBar.read(paper);
            if (fit) {
                impl = fitTime(w, device, fitMemory(w, device, impl, bars), bars);
                System.out.println(fittedLines(impl));
            }
            System.out.println(table(w, device, impl, bars));
        }
        return 0;
    }

    static ModeledPrefill.Outcome run(ModelWeights w, DeviceProfile device, ImplementationProfile impl,
                                      dev.stepmem.prefill.PrefillSettings s) {
        ModeledPrefill.Outcome o = ModeledPrefill.run(w, device, impl, SimBackend.Precision.forDevice(device, DType.BF16),
                s, null);
        if (o.oom()) {
            throw new IllegalStateException(s + " runs out of memory on " + device.name());
        }
        return o;
    }

    /** Bytes per KV and kept-map element and the reserve, from each bar's elements at unit bytes. */
    private ImplementationProfile fitMemory(ModelWeights w, DeviceProfile device, ImplementationProfile impl,
                                            List<PaperBar> bars) {
        ImplementationProfile.Memory now = impl.memory();
        ImplementationProfile unit = with(impl, impl.fractions(), impl.dispatchOverhead(),
                new ImplementationProfile.Memory(1, 1, now.activationBytes(), 0));
        double[][] a = new double[bars.size()][];
        double[] b = new double[bars.size()];
        for (int i = 0; i < bars.size(); i++) {
            Map<String, Long> peak = run(w, device, unit, bars.get(i).settings(length)).result().peakByCategory();
            double y = bars.get(i).peakGib() * 0x1p30;
            double fixed = peak.entrySet().stream().filter(e -> !e.getKey().equals("kv") && !e.getKey().equals("scores"))
                    .mapToDouble(Map.Entry::getValue).sum();
            a[i] = new double[] {1 / y, peak.getOrDefault("kv", 0L) / y, peak.getOrDefault("scores", 0L) / y};
            b[i] = (y - fixed) / y;
        }
        double[] x = LeastSquares.solve(a, b);
        return with(impl, impl.fractions(), impl.dispatchOverhead(),
                new ImplementationProfile.Memory(x[1], x[2], now.activationBytes(), Math.round(x[0])));
    }

    /** The three time parameters, in rounds (see the class comment). */
    private ImplementationProfile fitTime(ModelWeights w, DeviceProfile device, ImplementationProfile impl,
                                          List<PaperBar> bars) {
        for (int round = 0; round < rounds; round++) {
            ImplementationProfile.Fractions f = impl.fractions();
            double d0 = impl.dispatchOverhead() > 0 ? impl.dispatchOverhead() : 1e-6;
            ImplementationProfile probe = with(impl, f, d0, impl.memory());
            double[][] a = new double[bars.size()][];
            double[] b = new double[bars.size()];
            for (int i = 0; i < bars.size(); i++) {
                Map<String, Double> ops = run(w, device, probe, bars.get(i).settings(length)).secondsByOp();
                double flash = ops.getOrDefault("attention", 0.0);
                double map = ops.getOrDefault("attentionProbabilities", 0.0) + ops.getOrDefault("attentionApply", 0.0)
                        + ops.getOrDefault("probabilityWindowSums", 0.0);
                double dispatch = ops.getOrDefault("dispatch", 0.0);
                double rest = ops.values().stream().mapToDouble(Double::doubleValue).sum() - flash - map - dispatch;
                double y = bars.get(i).ttftSeconds();
                // unknowns: f0/f for the two fractions, d/d0 for the dispatch
                a[i] = new double[] {map / y, flash / y, dispatch / y};
                b[i] = (y - rest) / y;
            }
            double[] x = LeastSquares.solve(a, b);
            impl = with(impl, new ImplementationProfile.Fractions(f.matmul(), bounded(f.eagerMapBandwidth() / x[0]),
                    bounded(f.flashAttention() / x[1])), d0 * x[2], impl.memory());
            System.err.printf(Locale.ROOT, "round %d: eager map bandwidth %.4f, flash %.4f, dispatch %.2f us%n",
                    round + 1, impl.fractions().eagerMapBandwidth(),
                    impl.fractions().flashAttention(), impl.dispatchOverhead() * 1e6);
        }
        return impl;
    }

    /** A fitted fraction must lie in (0, 1]: above 1 the code would beat the device profile's own fraction. */
    private static double bounded(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalStateException("the fit gave a fraction of " + fraction + ", outside (0, 1]: the model "
                    + "cannot explain these bars with this profile's fixed numbers");
        }
        return fraction;
    }

    private static ImplementationProfile with(ImplementationProfile p, ImplementationProfile.Fractions f, double dispatch,
                                              ImplementationProfile.Memory memory) {
        return new ImplementationProfile(p.name(), p.description(), p.flashPadsMemory(), dispatch, f, p.mapPasses(),
                p.opsPerCall(), memory, p.sources(), p.file(), p.sha256());
    }

    private static String fittedLines(ImplementationProfile p) {
        ImplementationProfile.Memory m = p.memory();
        return String.format(Locale.ROOT, """
                fitted values (copy into %s):
                dispatch_overhead = "%.2f us"
                [fractions] eager_map_bandwidth = %.4f, flash_attention = %.4f
                [memory] kv = %.3f, maps = %.3f, reserve = "%.3f GiB"
                """, p.file(), p.dispatchOverhead() * 1e6, p.fractions().eagerMapBandwidth(),
                p.fractions().flashAttention(), m.kvBytes(), m.mapBytes(), m.reserveBytes() / 0x1p30);
    }

    /** Each bar, paper against modeled, time and memory, with the errors and their medians. */
    private String table(ModelWeights w, DeviceProfile device, ImplementationProfile impl, List<PaperBar> bars) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "%s on %s (%s, sha256 %s), LLaMA-2-7B bf16, L = %d, against %s%n%n", impl.name(), device.name(),
                impl.file(), impl.shortHash(), length, paper));
        md.append("| compressor (attention) | c | m_max | method | paper TTFT (s) | modeled (s) | error | "
                + "paper peak (GiB) | modeled (GiB) | error |\n|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        List<Double> timeErrors = new ArrayList<>(), memoryErrors = new ArrayList<>();
        for (PaperBar bar : bars) {
            ModeledPrefill.Outcome o = run(w, device, impl, bar.settings(length));
            double t = o.ttftNanos() / 1e9, m = o.peakBytes() / 0x1p30;
            double et = 100 * (t / bar.ttftSeconds() - 1), em = 100 * (m / bar.peakGib() - 1);
            timeErrors.add(Math.abs(et));
            memoryErrors.add(Math.abs(em));
            md.append(String.format(Locale.ROOT, "| %s (%s) | %d | %d | %s | %.2f | %.2f | %+.1f%% | %.1f | %.2f | %+.1f%% |%n",
                    bar.compressor(), bar.compressor().equals("snapkv") ? "eager" : "flash", bar.chunk(), bar.memory(),
                    bar.method().name(), bar.ttftSeconds(), t, et, bar.peakGib(), m, em));
        }
        md.append(String.format(Locale.ROOT, "%nmedian |error| over %d bars: TTFT %.1f%% (max %.1f%%), peak memory %.1f%% "
                        + "(max %.1f%%); free parameters: 3 for time (eager_map_bandwidth, flash_attention, "
                        + "dispatch_overhead), 3 for memory (kv, maps, reserve)%n", bars.size(), median(timeErrors),
                timeErrors.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), median(memoryErrors),
                memoryErrors.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
        md.append(ratios(w, device, impl, bars));
        return md.toString();
    }

    /** FM/IM and FM/IMDC per bar group, the paper's against the model's. */
    private String ratios(ModelWeights w, DeviceProfile device, ImplementationProfile impl, List<PaperBar> bars) {
        StringBuilder md = new StringBuilder("\n| compressor | c | m_max | paper FM/IM | modeled | paper FM/IMDC | modeled |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (PaperBar fm : bars.stream().filter(b -> b.method() == Method.FM).toList()) {
            double[] paperT = new double[3], modelT = new double[3];
            for (Method m : Method.values()) {
                int k = m.ordinal();
                PaperBar bar = bars.stream().filter(b -> b.compressor().equals(fm.compressor()) && b.chunk() == fm.chunk()
                        && b.memory() == fm.memory() && b.method() == m).findFirst().orElseThrow(
                        () -> new IllegalArgumentException(paper + ": no " + m + " bar beside " + fm));
                paperT[k] = bar.ttftSeconds();
                modelT[k] = run(w, device, impl, bar.settings(length)).ttftNanos() / 1e9;
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2fx | %.2fx | %.2fx | %.2fx |%n", fm.compressor(),
                    fm.chunk(), fm.memory(), paperT[0] / paperT[1], modelT[0] / modelT[1], paperT[0] / paperT[2],
                    modelT[0] / modelT[2]));
        }
        return md.toString();
    }

    private static double median(List<Double> xs) {
        return Stats.median(xs.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
