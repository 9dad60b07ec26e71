package dev.stepmem.cli;

import dev.stepmem.exit.ExitCodes;
import dev.stepmem.exit.UsageException;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.modeled.Frontier;
import dev.stepmem.modeled.MethodChoice;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.prefill.schedule.MemorySchedule;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.Units;
import dev.stepmem.results.RunRecord;
import dev.stepmem.results.RunRecordCsv;
import dev.stepmem.tensor.DType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Per profile and method: the longest L (or largest m_max) that fits the device's memory, modeled. */
@Command(name = "frontier", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"For every device profile and method, the longest input L (--vary length) or the largest "
                + "m_max (--vary memory) whose modeled prefill fits the profile's usable memory, by bisection over "
                + "sim runs of the real prefill loop. Modeled, not measured."})
public final class FrontierCommand implements Callable<Integer> {
    @Option(names = "--profiles", split = ",", paramLabel = "NAME,...",
            description = "Profiles (default: every profile in the folder).")
    List<String> profileNames;

    @Mixin
    ProfilesOption profiles;

    @Option(names = "--model", defaultValue = "llama2-7b", paramLabel = "PRESET",
            description = "Model shapes: stories15m, llama2-7b, internlm2-7b (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--dtype", defaultValue = "bf16", paramLabel = "TYPE", description = "Weight dtype (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--methods", split = ",", defaultValue = "full,fm,im,imdc", paramLabel = "M,...",
            description = "full, fm, im, imdc (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--vary", defaultValue = "length", paramLabel = "WHAT",
            description = "length: the largest L up to --max-length; memory: the largest m_max up to L (default: ${DEFAULT-VALUE}).")
    String vary;

    @Option(names = {"-L", "--length"}, defaultValue = "32768", paramLabel = "N",
            description = "L when varying memory (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--max-length", defaultValue = "1048576", paramLabel = "N",
            description = "Upper end of the L search (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = {"-c", "--chunk"}, defaultValue = "1024", paramLabel = "N", description = "Chunk size c (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--memory", defaultValue = "1024", paramLabel = "N", description = "m_max when varying L (default: ${DEFAULT-VALUE}).")
    int memory;

    @Option(names = "--function", defaultValue = "linear", paramLabel = "F", description = "IM/IMDC function (default: ${DEFAULT-VALUE}).")
    String function;

    @Option(names = "--compressor", defaultValue = "streamingllm", paramLabel = "C", description = "Compressor (default: ${DEFAULT-VALUE}).")
    String compressor;

    @Option(names = "--attention", defaultValue = "flash", paramLabel = "MODE", description = "flash or eager (default: ${DEFAULT-VALUE}).")
    String attention;

    @Mixin
    SimPrecisionOption precision;

    @Mixin
    ImplementationOption implementation;

    @Option(names = "--csv", paramLabel = "FILE", description = "Append the run at each frontier as a result row (source = modeled).")
    Path csv;

    @Override
    public Integer call() {
        boolean byLength = switch (vary) {
            case "length" -> true;
            case "memory" -> false;
            default -> throw new UsageException("--vary must be length or memory, got '" + vary + "'");
        };
        AttentionMode mode = ExitCodes.option(() -> AttentionMode.parse(attention));
        List<MethodChoice> choices = ExitCodes.option(() -> methods.stream().map(MethodChoice::parse).toList());
        var compress = ExitCodes.option(() -> Compressors.parse(compressor));
        precision.check();
        ExitCodes.option(() -> { // every value is checked before the first profile is modeled
            MemorySchedule.requireKnownName(function);
            DType.parse(dtype);
            ModelConfig.preset(preset);
            for (MethodChoice m : choices) {
                m.settings(function, compress, byLength ? Math.max(chunk, maxLength) : length, chunk, memory, mode);
            }
            return profiles.registry().select(profileNames);
        });
        if (csv != null) {
            RunRecordCsv.checkAppendable(csv);
        }
        List<RunRecord> rows = new ArrayList<>();
        System.out.printf(Locale.ROOT, "modeled frontier (sim backend; not measurements): %s %s, %s %s attention, c = %d, %s%n%n",
                preset, dtype, compress.name(), mode.cliName(), chunk,
                byLength ? "largest L <= " + maxLength + " (m_max = " + memory + ")" : "largest m_max at L = " + length);
        System.out.println("| profile | usable | method | " + (byLength ? "largest L" : "largest m_max")
                + " | peak there (GiB) | TTFT there (s) | first OOM needs (GiB) | runs |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|");
        for (DeviceProfile p : profiles.registry().select(profileNames)) {
            try (ModelWeights w = new ModeledModelOption().shapesFor(preset, dtype)) {
                for (MethodChoice m : choices) {
                    if (!byLength && m.isFull()) {
                        System.out.printf("| %s | %s | full | n/a (full attention has no m_max) | | | | |%n",
                                p.name(), Units.bytes(p.usableMemory()));
                        continue;
                    }
                    int lo = byLength ? Math.min(chunk, maxLength) : 1, hi = byLength ? maxLength : length;
                    Frontier.Point f = Frontier.search(w, p, implementation.implementation(profiles.registry()),
                            precision.precision(p, w.matrixType()),
                            v -> byLength ? m.settings(function, compress, v, chunk, memory, mode)
                                    : m.settings(function, compress, length, chunk, v, mode), lo, hi);
                    String largest = f.largestFit() == 0 ? "none (" + lo + " does not fit)"
                            : (f.unbounded() ? ">= " : "") + f.largestFit();
                    System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %d |%n", p.name(),
                            Units.bytes(p.usableMemory()), m.label(), largest,
                            f.atFit() == null ? "-" : String.format(Locale.ROOT, "%.2f", f.atFit().peakBytes() / 0x1p30),
                            f.atFit() == null ? "-" : String.format(Locale.ROOT, "%.2f", f.atFit().ttftNanos() / 1e9),
                            f.beyond() == null ? "-" : String.format(Locale.ROOT, "%.2f", f.beyond().neededBytes() / 0x1p30),
                            f.probes());
                    if (f.atFit() != null) {
                        rows.add(new RunRecord("modeled", "sim:" + p.name(), p.name(), p.shortHash(), preset, "shapes",
                                dtype, f.atFit().settings(), m.label(), f.atFit().ttftNanos() / 1e6,
                                f.atFit().peakBytes(), false, f.atFit().neededBytes(), f.atFit().capacity(),
                                Instant.now().toString()));
                    }
                }
            }
        }
        if (csv != null) {
            RunRecordCsv.append(csv, rows);
        }
        return 0;
    }
}
