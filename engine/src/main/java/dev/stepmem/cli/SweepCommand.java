package dev.stepmem.cli;

import dev.stepmem.exit.ExitCodes;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.modeled.MethodChoice;
import dev.stepmem.modeled.ModeledPrefill;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.prefill.schedule.MemorySchedule;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.results.RunRecordCsv;
import dev.stepmem.results.RunRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Modeled TTFT and peak memory of FM / IM / IMDC (and full attention) for every profile x model x
 * setting, side by side with the FM/IM and FM/IMDC ratios. Every number is modeled.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Modeled TTFT and peak memory of each method on each device profile (the sim backend "
                + "driving the real prefill loop): a Markdown table with the FM/IM and FM/IMDC ratios.",
                "Nothing here is measured; rows that do not fit the profile's memory say OOM and what they needed."})
public final class SweepCommand implements Callable<Integer> {
    @Option(names = "--profiles", split = ",", paramLabel = "NAME,...",
            description = "Profiles to model (default: every profile in the folder).")
    List<String> profileNames;

    @Mixin
    ProfilesOption profiles;

    @Mixin
    ModeledModelOption model;

    @Option(names = "--methods", split = ",", defaultValue = "fm,im,imdc", paramLabel = "M,...",
            description = "fm, im, imdc, full (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--function", defaultValue = "linear", paramLabel = "F", description = "IM/IMDC function (default: ${DEFAULT-VALUE}).")
    String function;

    @Option(names = "--compressor", defaultValue = "snapkv", paramLabel = "C", description = "Compressor (default: ${DEFAULT-VALUE}).")
    String compressor;

    @Option(names = "--attention", defaultValue = "eager", paramLabel = "MODE", description = "flash or eager (default: ${DEFAULT-VALUE}).")
    String attention;

    @Option(names = {"-L", "--lengths"}, split = ",", defaultValue = "32768", paramLabel = "N,...", description = "Input lengths (default: ${DEFAULT-VALUE}).")
    List<Integer> lengths;

    @Option(names = {"-c", "--chunks"}, split = ",", defaultValue = "1024", paramLabel = "N,...", description = "Chunk sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> chunks;

    @Option(names = "--memories", split = ",", defaultValue = "256,512,1024", paramLabel = "N,...", description = "m_max values (default: ${DEFAULT-VALUE}).")
    List<Integer> memories;

    @Mixin
    SimPrecisionOption precision;

    @Mixin
    ImplementationOption implementation;

    @Option(names = "--csv", paramLabel = "FILE", description = "Append every run as a result row (source = modeled).")
    Path csv;

    @Override
    public Integer call() {
        List<MethodChoice> choices = ExitCodes.option(() -> methods.stream().map(MethodChoice::parse).toList());
        AttentionMode mode = ExitCodes.option(() -> AttentionMode.parse(attention));
        precision.check();
        ExitCodes.option(() -> {
            MemorySchedule.requireKnownName(function);
            Compressors.parse(compressor);
            model.matrixType();
            for (int l : lengths) {
                for (int c : chunks) {
                    for (int mem : memories) {
                        for (MethodChoice m : choices) {
                            m.settings(function, Compressors.parse(compressor), l, c, mem, mode);
                        }
                    }
                }
            }
            return model.models.stream().map(ModelConfig::preset).toList();
        });
        List<DeviceProfile> devices = ExitCodes.option(() -> profiles.registry().select(profileNames));
        if (csv != null) {
            RunRecordCsv.checkAppendable(csv); // before the sweep, not after it
        }
        List<RunRecord> rows = new ArrayList<>();
        StringBuilder header = new StringBuilder("| profile | model | L | c | m_max |");
        StringBuilder rule = new StringBuilder("|---|---|---:|---:|---:|");
        for (MethodChoice m : choices) {
            header.append(" TTFT ").append(m.label()).append(" (s) |");
            rule.append("---:|");
        }
        for (MethodChoice m : choices) {
            header.append(" peak ").append(m.label()).append(" (GiB) |");
            rule.append("---:|");
        }
        boolean ratios = choices.stream().anyMatch(c -> c.label().equals("fm"));
        if (ratios) {
            header.append(" FM/IM | FM/IMDC | IMDC peak saves |");
            rule.append("---:|---:|---:|");
        }
        System.out.printf("modeled (sim backend; not measurements): %s %s attention, %s weights, function %s%n%n",
                Compressors.parse(compressor).name(), mode.cliName(), model.dtype, function);
        System.out.println(header);
        System.out.println(rule);
        for (DeviceProfile p : devices) {
            for (String preset : model.models) {
                try (ModelWeights w = model.shapes(preset)) {
                    for (int l : lengths) {
                        for (int c : chunks) {
                            for (int mem : memories) {
                                List<ModeledPrefill.Outcome> outs = new ArrayList<>();
                                for (MethodChoice m : choices) {
                                    PrefillSettings s = m.settings(function, Compressors.parse(compressor), l, c, mem, mode);
                                    ModeledPrefill.Outcome o = ModeledPrefill.run(w, p,
                                            implementation.implementation(profiles.registry()),
                                            precision.precision(p, model.matrixType()), s, null);
                                    outs.add(o);
                                    rows.add(row(p, preset, m, o));
                                }
                                System.out.println(line(p, preset, l, c, mem, choices, outs, ratios));
                            }
                        }
                    }
                }
            }
        }
        if (csv != null) {
            RunRecordCsv.append(csv, rows);
            System.out.println("\nrows appended to " + csv);
        }
        return 0;
    }

    private RunRecord row(DeviceProfile p, String preset, MethodChoice m, ModeledPrefill.Outcome o) {
        return new RunRecord("modeled", "sim:" + p.name(), p.name(), p.shortHash(), preset, "shapes",
                model.dtype, o.settings(), m.label(), o.oom() ? Double.NaN : o.ttftNanos() / 1e6, o.peakBytes(),
                o.oom(), o.neededBytes(), o.capacity(), Instant.now().toString());
    }

    private static String line(DeviceProfile p, String preset, int l, int c, int mem, List<MethodChoice> choices,
                               List<ModeledPrefill.Outcome> outs, boolean ratios) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d |", p.name(), preset, l, c, mem));
        for (ModeledPrefill.Outcome o : outs) {
            b.append(o.oom() ? " OOM |" : String.format(Locale.ROOT, " %.2f |", o.ttftNanos() / 1e9));
        }
        for (ModeledPrefill.Outcome o : outs) {
            b.append(o.oom() ? String.format(Locale.ROOT, " OOM (needs > %.1f) |", o.neededBytes() / 0x1p30)
                    : String.format(Locale.ROOT, " %.2f |", o.peakBytes() / 0x1p30));
        }
        if (ratios) {
            ModeledPrefill.Outcome fm = find(choices, outs, "fm"), im = find(choices, outs, "im"), imdc = find(choices, outs, "imdc");
            b.append(' ').append(ratio(fm, im)).append(" | ").append(ratio(fm, imdc)).append(" | ");
            b.append(fm == null || imdc == null || fm.oom() || imdc.oom() ? "-"
                    : String.format(Locale.ROOT, "%.1f%%", 100.0 * (1 - (double) imdc.peakBytes() / fm.peakBytes())));
            b.append(" |");
        }
        return b.toString();
    }

    private static ModeledPrefill.Outcome find(List<MethodChoice> choices, List<ModeledPrefill.Outcome> outs, String label) {
        for (int i = 0; i < choices.size(); i++) {
            if (choices.get(i).label().equals(label)) {
                return outs.get(i);
            }
        }
        return null;
    }

    private static String ratio(ModeledPrefill.Outcome fm, ModeledPrefill.Outcome other) {
        if (fm == null || other == null || fm.oom() || other.oom()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", (double) fm.ttftNanos() / other.ttftNanos());
    }
}
