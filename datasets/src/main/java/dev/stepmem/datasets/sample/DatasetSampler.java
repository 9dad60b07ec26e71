package dev.stepmem.datasets.sample;

import dev.stepmem.assets.Sha256;
import dev.stepmem.datasets.DataDir;
import dev.stepmem.datasets.DatasetException;
import dev.stepmem.datasets.build.DatasetTokenizers;
import dev.stepmem.datasets.build.Domains;
import dev.stepmem.datasets.build.NamedTokenizer;
import dev.stepmem.datasets.manifest.DocumentEntry;
import dev.stepmem.datasets.manifest.DomainEntry;
import dev.stepmem.datasets.manifest.Manifest;
import dev.stepmem.datasets.manifest.ManifestStore;
import dev.stepmem.exit.UsageException;
import dev.stepmem.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the prefill and perplexity code call: {@code n} sequences of {@code L} tokens from a
 * domain, the same ones for the same seed.
 *
 * <p>A sequence is BOS followed by the first L-1 tokens of one document (the paper truncates
 * documents to their first 32768 tokens). Candidates are the documents with at least L tokens
 * under the tokenizer: the standard ones when L is at most the length they were cut for, else the
 * long ones (which overlap the standard ones, so the two kinds are never mixed in one sample). The seed shuffles the
 * candidates and the first n are taken. Each document's sha256 is checked against the manifest
 * before use, so a changed or partial file is never used.
 */
public final class DatasetSampler {
    private final DataDir dir;
    private final Manifest manifest;

    public DatasetSampler(DataDir dir) {
        this.dir = dir;
        ManifestStore store = new ManifestStore(dir.documents());
        if (!store.exists()) {
            throw new DatasetException("no datasets built in " + dir.root() + " (no " + store.file()
                    + "): run `bin/datasets build` first");
        }
        this.manifest = store.read();
    }

    /** The default cache's datasets, with a named tokenizer ("llama2" or "internlm2"). */
    public static List<int[]> sample(String domain, String tokenizer, int n, int length, long seed) {
        return new DatasetSampler(DataDir.defaultDir()).sample(domain, DatasetTokenizers.load(tokenizer), n, length, seed)
                .stream().map(Sample::ids).toList();
    }

    public Manifest manifest() {
        return manifest;
    }

    /** {@code n} samples of {@code length} tokens from a built domain. */
    public List<Sample> sample(String domain, NamedTokenizer tokenizer, int n, int length, long seed) {
        checkCounts(n, length);
        DomainEntry d = manifest.domains().get(domain);
        if (d == null) {
            throw new DatasetException("domain '" + domain + "' is not built in " + dir.documents() + " (built: "
                    + manifest.domains().keySet() + "): run `bin/datasets build --domain " + domain + "`");
        }
        if (!tokenizer.info().equals(manifest.tokenizers().get(tokenizer.name()))) {
            throw new DatasetException("the manifest has no token counts for tokenizer '" + tokenizer.name()
                    + "' with sha256 " + tokenizer.info().sha256() + ": rebuild with `bin/datasets build`");
        }
        List<DocumentEntry> candidates = candidates(d, tokenizer.name(), length);
        if (candidates.size() < n) {
            int built = d.settings().minTokens();
            throw new DatasetException(length <= built
                    ? "domain " + domain + " has " + candidates.size() + " documents of at least " + length + " "
                            + tokenizer.name() + " tokens, fewer than the " + n + " asked for (rebuild with more --docs)"
                    : "-L " + length + " is above the " + built + " tokens the standard documents of " + domain
                            + " were built with, so samples come from its long documents, and it has "
                            + candidates.size() + " of at least " + length + " " + tokenizer.name() + " tokens, fewer "
                            + "than the " + n + " asked for (rebuild with --tokens " + length
                            + " or more, or a larger --long-tokens)");
        }
        List<Sample> out = new ArrayList<>();
        for (DocumentEntry doc : SeededOrder.shuffle(candidates, seed).subList(0, n)) {
            out.add(new Sample(doc.id(), truncate(tokenizer.tokenizer(), read(doc), length, doc.id())));
        }
        return out;
    }

    private static List<DocumentEntry> candidates(DomainEntry d, String tokenizer, int length) {
        String kind = length <= d.settings().minTokens() ? DocumentEntry.STANDARD : DocumentEntry.LONG;
        return d.documents().stream().filter(doc -> doc.kind().equals(kind))
                .filter(doc -> tokens(doc, tokenizer) >= length).toList();
    }

    private static int tokens(DocumentEntry doc, String tokenizer) {
        Integer t = doc.tokens().get(tokenizer);
        return t == null ? 0 : t;
    }

    /** {@code n} samples of {@code length} tokens from a JSON-lines file (documents shorter than L are skipped). */
    public static List<Sample> sample(JsonLinesSource source, Tokenizer tokenizer, int n, int length, long seed) {
        checkCounts(n, length);
        // Pass 1: line numbers of documents that could be long enough (a token is at least one
        // byte, plus the dummy-prefix space), without keeping their texts.
        List<Long> lines = new ArrayList<>();
        source.forEach(l -> {
            if (l.text().getBytes(StandardCharsets.UTF_8).length + 1 >= length - 1) {
                lines.add(l.number());
            }
        });
        List<Long> order = SeededOrder.shuffle(lines, seed);
        List<Sample> out = new ArrayList<>();
        // Pass 2, in batches: read the next candidates in seeded order and keep those long enough.
        for (int from = 0; from < order.size() && out.size() < n; ) {
            int to = Math.min(order.size(), from + 2 * (n - out.size()));
            List<Long> batch = order.subList(from, to);
            java.util.Map<Long, String> texts = new java.util.HashMap<>();
            source.forEach(l -> {
                if (batch.contains(l.number())) {
                    texts.put(l.number(), l.text());
                }
            });
            for (Long line : batch) {
                int[] ids = tokenizer.encode(texts.get(line), true, false);
                if (ids.length >= length && out.size() < n) {
                    out.add(new Sample(source.file().getFileName() + ":" + line, Arrays.copyOf(ids, length)));
                }
            }
            from = to;
        }
        if (out.size() < n) {
            throw new DatasetException(source.file() + " has " + out.size() + " documents of at least " + length
                    + " tokens (with BOS), fewer than the " + n + " asked for");
        }
        return out;
    }

    private String read(DocumentEntry doc) {
        Path f = dir.documents().resolve(doc.file());
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new DatasetException("cannot read document " + f + " (" + e.getMessage() + "): rebuild with "
                    + "`bin/datasets build`", e);
        }
        MessageDigest md = Sha256.newDigest();
        md.update(bytes);
        if (!Sha256.hex(md).equals(doc.sha256())) {
            throw new DatasetException(f + " does not match its sha256 in the manifest (changed or damaged): "
                    + "rebuild with `bin/datasets build`");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int[] truncate(Tokenizer t, String text, int length, String id) {
        int[] ids = t.encode(text, true, false);
        if (ids.length < length) {
            throw new IllegalStateException(id + " has " + (ids.length - 1) + " tokens, fewer than its manifest says");
        }
        return Arrays.copyOf(ids, length);
    }

    /** Refuses a domain `datasets build` cannot make (the CLI checks this before suggesting a build). */
    public static void checkDomain(String domain) {
        if (!Domains.NAMES.contains(domain)) {
            throw new UsageException("unknown domain '" + domain + "': choose one of " + String.join(", ", Domains.NAMES));
        }
    }

    /** The sample counts are the caller's flags: a bad one is a usage error. */
    public static void checkCounts(int n, int length) {
        if (n < 1) {
            throw new UsageException("-n (documents) must be at least 1, got " + n);
        }
        if (length < 2) {
            throw new UsageException("-L (tokens per sample) must be at least 2, got " + length);
        }
    }
}
