package dev.stepmem.cli;

import dev.stepmem.backend.Backend;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.prefill.ChunkedPrefill;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressor;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.quality.Answerer;
import dev.stepmem.quality.PasskeyGrid;
import dev.stepmem.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The passkey (needle-in-a-haystack) task over a depth x length grid, decoded from the compressed memory. */
@Command(name = "passkey", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Passkey retrieval: a 5-digit key hidden at a depth of a filler text, the question at the end.",
                "Each prompt is prefilled in chunks under the method, then greedy decoding continues from the "
                        + "compressed memory; the answer scores when its first number is the key (exact match). "
                        + "Prints accuracy per depth x length cell. stories15M scores near zero: it was trained "
                        + "on short stories with a 256-token context, not on retrieval."})
public final class PasskeyCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    BackendOption backendOption;

    @Option(names = "--method", defaultValue = "imdc", paramLabel = "M", description = "fm, im or imdc (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--function", defaultValue = "linear", paramLabel = "F",
            description = "IM/IMDC memory growth (default: ${DEFAULT-VALUE}).")
    String function;

    @Option(names = "--compressor", defaultValue = "snapkv", paramLabel = "C",
            description = "Any compressor of `stepmem prefill --help` (default: ${DEFAULT-VALUE}).")
    String compressor;

    @Option(names = "--attention", defaultValue = "flash", paramLabel = "MODE",
            description = "flash or eager (default: ${DEFAULT-VALUE}).")
    String attention;

    @Option(names = {"-c", "--chunk"}, defaultValue = "128", paramLabel = "N", description = "Chunk size c (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--memory", defaultValue = "256", paramLabel = "N",
            description = "Memory limit m_max in tokens, sinks not counted (default: ${DEFAULT-VALUE}).")
    int memory;

    @Option(names = "--lengths", split = ",", defaultValue = "512,1024", paramLabel = "L,...",
            description = "Prompt lengths in tokens (default: ${DEFAULT-VALUE}).")
    int[] lengths;

    @Option(names = "--depths", split = ",", defaultValue = "0,0.25,0.5,0.75,1", paramLabel = "D,...",
            description = "Needle depths in [0, 1]: 0 right after the instruction, 1 right before the question "
                    + "(default: ${DEFAULT-VALUE}).")
    double[] depths;

    @Option(names = "--trials", defaultValue = "3", paramLabel = "N",
            description = "Prompts (keys) per cell (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed of the keys (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the grid as CSV (one row per cell) to this file.")
    Path csv;

    @Override
    public Integer call() {
        for (double d : depths) {
            if (!(d >= 0 && d <= 1)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--depths: " + d + " is not in [0, 1]");
            }
        }
        if (trials < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--trials must be at least 1, got " + trials);
        }
        Method m = Method.parse(method);
        Compressor c = Compressors.parse(compressor);
        AttentionMode mode = AttentionMode.parse(attention);
        for (int l : lengths) {
            new PrefillSettings(m, function, c, l, chunk, memory, mode); // every setting is checked before any work
        }
        try (ModelWeights weights = model.loadWeights()) {
            Backend backend = backendOption.create();
            Tokenizer tok = model.loadTokenizer(weights);
            for (int l : lengths) {
                new PrefillSettings(m, function, c, l, chunk, memory, mode).plan(weights.config().nLayers());
            }
            Answerer answerer = (prompt, maxNew) -> ChunkedPrefill.decodeGreedy(weights, backend,
                    new PrefillSettings(m, function, c, prompt.length, chunk, memory, mode), prompt, maxNew,
                    t -> t == tok.eos() || t == tok.bos()).generated();
            System.out.printf("passkey: %s %s c=%d m_max=%d attention=%s on %s (%s backend), %d prompt(s) per cell, seed %d%n",
                    m.cliName() + (m == Method.FM ? "" : "/" + function), c.name(), chunk, memory, mode.cliName(),
                    weights.source(), backend.name(), trials, seed);
            List<PasskeyGrid.Cell> cells = PasskeyGrid.run(tok, answerer, lengths, depths, trials, seed,
                    cell -> System.err.printf(Locale.ROOT, "L=%d depth=%.2f: %d/%d (last answer \"%s\")%n",
                            cell.length(), cell.depth(), cell.correct(), cell.trials(),
                            cell.lastAnswer().replace("\n", "\\n")));
            printGrid(cells);
            if (csv != null) {
                writeCsv(cells, m, c);
            }
        }
        return 0;
    }

    private void printGrid(List<PasskeyGrid.Cell> cells) {
        StringBuilder head = new StringBuilder(" depth \\ L");
        for (int l : lengths) {
            head.append(String.format(Locale.ROOT, " %8d", l));
        }
        System.out.println(head);
        for (int d = 0; d < depths.length; d++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%10.2f", depths[d]));
            for (int l = 0; l < lengths.length; l++) {
                PasskeyGrid.Cell cell = cells.get(l * depths.length + d);
                row.append(String.format(Locale.ROOT, " %8s", cell.correct() + "/" + cell.trials()));
            }
            System.out.println(row);
        }
        int prompts = cells.stream().mapToInt(PasskeyGrid.Cell::trials).sum();
        System.out.printf(Locale.ROOT, "exact-match accuracy %.3f over %d prompts%n", PasskeyGrid.accuracy(cells), prompts);
    }

    /** The whole grid, written to a temp file and renamed, so a failed run leaves no half file. */
    private void writeCsv(List<PasskeyGrid.Cell> cells, Method m, Compressor c) {
        StringBuilder out = new StringBuilder("length,depth,correct,trials,accuracy,method,function,compressor,chunk,memory\n");
        for (PasskeyGrid.Cell cell : cells) {
            out.append(String.format(Locale.ROOT, "%d,%.4f,%d,%d,%.4f,%s,%s,%s,%d,%d%n", cell.length(), cell.depth(),
                    cell.correct(), cell.trials(), cell.accuracy(), m.cliName(), function, c.name(), chunk, memory));
        }
        try {
            Path dir = csv.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".passkey", ".csv.tmp");
            Files.writeString(tmp, out, StandardCharsets.UTF_8);
            Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("--csv " + csv + ": " + e.getMessage(), e);
        }
    }
}
