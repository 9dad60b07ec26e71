package dev.stepmem.datasets.cli;

import dev.stepmem.datasets.build.DatasetTokenizers;
import dev.stepmem.datasets.build.NamedTokenizer;
import dev.stepmem.datasets.sample.DatasetSampler;
import dev.stepmem.datasets.sample.JsonLinesSource;
import dev.stepmem.datasets.sample.Sample;
import dev.stepmem.datasets.AtomicFiles;
import dev.stepmem.exit.ExitCodes;
import dev.stepmem.exit.UsageException;
import dev.stepmem.io.OutputChecks;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code datasets sample}: the sampler API from the command line. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Pick n documents of a domain (or of a JSON-lines file) for a seed and take BOS plus "
                + "their first L-1 tokens, exactly as the prefill and perplexity code get them.",
                "Prints one line per sample; --out writes each as text (decoded from the L tokens) or as ids."})
public final class SampleCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @ArgGroup(exclusive = true, multiplicity = "1")
    From from;

    static final class From {
        @Option(names = "--domain", paramLabel = "NAME", description = "A built domain: github, arxiv or books.")
        String domain;

        @Option(names = "--jsonl", paramLabel = "FILE",
                description = "RedPajama-style JSON lines ({\"text\": ...} per line, .gz allowed): the paper's own data.")
        Path jsonl;
    }

    @Option(names = "--tokenizer", defaultValue = "llama2", paramLabel = "NAME",
            description = "llama2 (stories15M / LLaMA-2) or internlm2 (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "-n", defaultValue = "8", paramLabel = "N", description = "Samples (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "-L", defaultValue = "32768", paramLabel = "TOKENS",
            description = "Tokens per sample, BOS included (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Which documents (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the samples into DIR as NN-ID.txt (or .ids).")
    Path out;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FMT",
            description = "text (decoded, for `stepmem prefill --input`) or ids (one token id per line) (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("ids")) {
            throw new UsageException("--format must be text or ids, got '" + format + "'");
        }
        DatasetSampler.checkCounts(n, length);
        if (from.domain != null) {
            DatasetSampler.checkDomain(from.domain);
        }
        if (out != null) {
            OutputChecks.requireWritableFolder(out, "--out " + out);
        }
        NamedTokenizer t = ExitCodes.option(() -> DatasetTokenizers.load(tokenizer));
        List<Sample> samples = from.jsonl != null
                ? DatasetSampler.sample(new JsonLinesSource(from.jsonl), t.tokenizer(), n, length, seed)
                : new DatasetSampler(data.dir()).sample(from.domain, t, n, length, seed);
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            String head = t.tokenizer().decode(Arrays.copyOf(s.ids(), Math.min(s.ids().length, 16)))
                    .replaceAll("\\s+", " ").strip();
            System.out.printf("%2d %-28s %d %s tokens  \"%s…\"%n", i, s.documentId(), s.ids().length, t.name(), head);
            if (out != null) {
                write(i, s, t);
            }
        }
        return 0;
    }

    private void write(int i, Sample s, NamedTokenizer t) {
        String name = String.format("%02d-%s.%s", i, s.documentId().replaceAll("[^A-Za-z0-9._-]", "_"),
                format.equals("text") ? "txt" : "ids");
        String body = format.equals("text") ? t.tokenizer().decode(s.ids())
                : Arrays.stream(s.ids()).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n"));
        try {
            AtomicFiles.write(out.resolve(name), body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(name) + ": " + e.getMessage(), e);
        }
    }
}
