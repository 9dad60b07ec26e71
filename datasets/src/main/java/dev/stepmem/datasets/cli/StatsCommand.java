package dev.stepmem.datasets.cli;

import dev.stepmem.datasets.DataDir;
import dev.stepmem.datasets.manifest.DocumentEntry;
import dev.stepmem.datasets.manifest.DomainEntry;
import dev.stepmem.datasets.manifest.Manifest;
import dev.stepmem.datasets.manifest.ManifestStore;
import dev.stepmem.datasets.manifest.SourceInfo;
import dev.stepmem.datasets.packages.InstalledPackage;
import dev.stepmem.datasets.sample.JsonLinesSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** {@code datasets stats}: what was built, per domain, read from the manifest. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Print, per built domain: documents, tokens per tokenizer, bytes per token, the long "
                + "document, and the packages (with versions) and sources they came from.",
                "With --jsonl, count the documents and bytes of a JSON-lines file instead."})
public final class StatsCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Option(names = "--domain", paramLabel = "NAME", description = "Only this domain.")
    String domain;

    @Option(names = "--jsonl", paramLabel = "FILE", description = "A RedPajama-style JSON-lines file to describe.")
    Path jsonl;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (jsonl != null) {
            AtomicLong docs = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            AtomicLong longest = new AtomicLong();
            new JsonLinesSource(jsonl).forEach(l -> {
                long b = l.text().getBytes(StandardCharsets.UTF_8).length;
                docs.incrementAndGet();
                bytes.addAndGet(b);
                longest.accumulateAndGet(b, Math::max);
            });
            out.printf(Locale.ROOT, "%s: %d documents, %s bytes, longest %s bytes%n", jsonl, docs.get(),
                    n(bytes.get()), n(longest.get()));
            return 0;
        }
        DataDir dir = data.dir();
        ManifestStore store = new ManifestStore(dir.documents());
        if (!store.exists()) {
            throw new IllegalStateException("nothing built in " + dir.root() + ": run `bin/datasets build` first");
        }
        Manifest m = store.read();
        out.println("manifest: " + store.file());
        m.tokenizers().forEach((name, info) -> out.printf("tokenizer %-10s %s (sha256 %s…)%n", name, info.description(),
                info.sha256().substring(0, 12)));
        for (var e : m.domains().entrySet()) {
            if (domain == null || domain.equals(e.getKey())) {
                print(out, e.getKey(), e.getValue(), List.copyOf(m.tokenizers().keySet()));
            }
        }
        return 0;
    }

    private static void print(PrintStream out, String name, DomainEntry d, List<String> tokenizers) {
        List<DocumentEntry> standard = d.documents().stream().filter(x -> x.kind().equals(DocumentEntry.STANDARD)).toList();
        out.println();
        out.printf("%s — %s%n", name, d.description());
        out.printf(Locale.ROOT, "  standard documents: %d (asked %d, each >= %s tokens under every tokenizer)%n",
                standard.size(), d.settings().documents(), n(d.settings().minTokens()));
        out.printf("  %-10s %12s %12s %12s %12s %10s%n", "tokenizer", "tokens", "min/doc", "max/doc", "bytes", "bytes/tok");
        long bytes = standard.stream().mapToLong(DocumentEntry::bytes).sum();
        for (String t : tokenizers) {
            long total = standard.stream().mapToLong(x -> x.tokens().getOrDefault(t, 0)).sum();
            int min = standard.stream().mapToInt(x -> x.tokens().getOrDefault(t, 0)).min().orElse(0);
            int max = standard.stream().mapToInt(x -> x.tokens().getOrDefault(t, 0)).max().orElse(0);
            out.printf(Locale.ROOT, "  %-10s %12s %12s %12s %12s %10.2f%n", t, n(total), n(min), n(max), n(bytes),
                    total == 0 ? 0.0 : (double) bytes / total);
        }
        for (DocumentEntry x : d.documents()) {
            out.printf(Locale.ROOT, "  %-12s %-8s %-18s %5d files %11s bytes  %s%n", x.id(), x.kind(), x.source(),
                    x.files().size(), n(x.bytes()), tokensText(x));
        }
        if (d.documents().stream().noneMatch(x -> x.kind().equals(DocumentEntry.LONG)) && d.settings().longTokens() > 0) {
            out.printf("  no long document (no source holds %s tokens)%n", n(d.settings().longTokens()));
        }
        out.println("  from:");
        for (SourceInfo s : d.sources()) {
            out.printf(Locale.ROOT, "    %-18s %s (%d files, %s bytes)%n", s.id(), s.from(), s.files(), n(s.bytes()));
        }
        for (InstalledPackage p : d.packages()) {
            out.printf("    package %-24s %-26s %s%n", p.name(), p.version(), p.debFile());
        }
    }

    private static String tokensText(DocumentEntry x) {
        StringBuilder sb = new StringBuilder();
        x.tokens().forEach((t, c) -> sb.append(t).append(' ').append(n(c)).append("  "));
        return sb.toString().strip();
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
