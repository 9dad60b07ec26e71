package dev.stepmem.datasets.build;

import dev.stepmem.assets.Sha256;
import dev.stepmem.datasets.AtomicFiles;
import dev.stepmem.datasets.DataDir;
import dev.stepmem.datasets.DatasetException;
import dev.stepmem.datasets.Json;
import dev.stepmem.datasets.manifest.BuildSettings;
import dev.stepmem.datasets.manifest.DocumentEntry;
import dev.stepmem.datasets.manifest.DomainEntry;
import dev.stepmem.datasets.manifest.Manifest;
import dev.stepmem.datasets.manifest.ManifestStore;
import dev.stepmem.datasets.manifest.SourceInfo;
import dev.stepmem.datasets.manifest.TokenizerInfo;
import dev.stepmem.datasets.packages.DebPackages;
import dev.stepmem.datasets.packages.InstalledPackage;
import dev.stepmem.datasets.sources.TextSource;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds a domain's documents and its manifest entry.
 *
 * <p>Safety: the domain is first removed from the manifest, so while it is being rebuilt no
 * reader sees it; each document is written atomically, then a sidecar {@code ID.json} with its
 * manifest entry; the manifest gets the domain back only at the end. An interrupted build
 * (killed, disk full) therefore leaves the domain absent, never half there, and the next run
 * re-uses every document whose sidecar still matches (same files, same text, same tokenizers)
 * instead of counting its tokens again.
 */
public final class DatasetBuilder {
    /** Writes a file atomically; tests substitute one that fails like a full disk. */
    public interface Writer {
        void write(Path target, byte[] data) throws IOException;
    }

    /** The line put before each file of a document; PATH stands for the file's path. */
    public static final String SEPARATOR = Piece.SEPARATOR;

    private final DataDir dir;
    private final DebPackages packages;
    private final Supplier<List<NamedTokenizer>> tokenizerLoader;
    private final PrintStream log;
    private final Writer writer;
    private List<NamedTokenizer> tokenizers;

    public DatasetBuilder(DataDir dir, DebPackages packages, Supplier<List<NamedTokenizer>> tokenizers,
                          PrintStream log, Writer writer) {
        this.dir = dir;
        this.packages = packages;
        this.tokenizerLoader = tokenizers;
        this.log = log;
        this.writer = writer;
    }

    /** Builds (or confirms up to date) one domain and returns its manifest entry. */
    public DomainEntry build(Domain domain, BuildSettings settings, boolean refresh) {
        Map<String, InstalledPackage> installed = new LinkedHashMap<>();
        for (String p : domain.packages()) {
            installed.put(p, packages.ensure(p, refresh));
        }
        ManifestStore store = new ManifestStore(dir.documents());
        Manifest manifest = store.read();
        DomainEntry previous = manifest.domains().get(domain.name());
        // The manifest records what a package is, not where this machine unpacked it.
        List<InstalledPackage> used = installed.values().stream().map(p -> p.withTree(null)).toList();
        try {
            reportVersionChanges(domain, previous, used);
            Map<String, TokenizerInfo> infos = tokenizerInfos();
            if (previous != null && upToDate(previous, settings, used, infos, manifest)) {
                log.println(domain.name() + ": up to date (" + previous.documents().size() + " documents)");
                return previous;
            }
            store.write(manifest.without(domain.name()));
            DomainEntry entry = buildDocuments(domain, settings, installed, used, infos);
            store.write(store.read().with(domain.name(), entry, infos));
            return entry;
        } catch (IOException e) {
            throw new DatasetException("building domain " + domain.name() + " in " + dir.documents() + " failed: "
                    + e.getMessage() + (String.valueOf(e.getMessage()).contains("No space left")
                    ? " (the disk is full: free space or set STEPMEM_CACHE to a larger disk and re-run; "
                    + "finished documents are kept and re-used)" : "") + ". The domain is left out of the manifest "
                    + "until a build completes.", e);
        }
    }

    private List<NamedTokenizer> tokenizers() {
        if (tokenizers == null) {
            tokenizers = tokenizerLoader.get();
        }
        return tokenizers;
    }

    private Map<String, TokenizerInfo> tokenizerInfos() {
        Map<String, TokenizerInfo> m = new TreeMap<>();
        tokenizers().forEach(t -> m.put(t.name(), t.info()));
        return m;
    }

    /** Loud on purpose: figures made from the old documents no longer match the new ones. */
    private void reportVersionChanges(Domain domain, DomainEntry previous, List<InstalledPackage> now)
            throws IOException {
        if (previous == null) {
            return;
        }
        Map<String, String> before = previous.packages().stream()
                .collect(Collectors.toMap(InstalledPackage::name, InstalledPackage::version));
        for (InstalledPackage p : now) {
            String old = before.get(p.name());
            if (old != null && !old.equals(p.version())) {
                String line = "package " + p.name() + " changed from version " + old + " to " + p.version()
                        + ": the " + domain.name() + " documents are rebuilt and will differ from the previous build";
                log.println("*".repeat(78));
                log.println("WARNING: " + line);
                log.println("*".repeat(78));
                Files.createDirectories(dir.documents());
                Files.writeString(dir.documents().resolve("CHANGES.log"), java.time.Instant.now() + " " + line + "\n",
                        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            }
        }
    }

    private boolean upToDate(DomainEntry e, BuildSettings settings, List<InstalledPackage> used,
                             Map<String, TokenizerInfo> infos, Manifest manifest) throws IOException {
        if (!e.settings().equals(settings) || !e.packages().equals(used)) {
            return false;
        }
        for (String t : infos.keySet()) {
            if (!infos.get(t).equals(manifest.tokenizers().get(t))) {
                return false;
            }
        }
        for (DocumentEntry d : e.documents()) {
            Path f = dir.documents().resolve(d.file());
            if (!Files.isRegularFile(f) || !Sha256.of(f).equals(d.sha256())) {
                return false;
            }
        }
        return true;
    }

    private DomainEntry buildDocuments(Domain domain, BuildSettings settings, Map<String, InstalledPackage> installed,
                                       List<InstalledPackage> used, Map<String, TokenizerInfo> infos)
            throws IOException {
        Path out = dir.domain(domain.name());
        Files.createDirectories(out);
        AtomicFiles.sweepParts(out);
        DocumentCutter cutter = new DocumentCutter(tokenizers());
        List<SourceInfo> sourceInfos = new ArrayList<>();
        List<DocumentEntry> docs = new ArrayList<>();
        List<TextSource.Listing> listings = new ArrayList<>();
        try {
            List<PieceStream> streams = new ArrayList<>();
            for (TextSource s : domain.sources()) {
                TextSource.Listing l = s.list(installed);
                listings.add(l);
                streams.add(new PieceStream(s.id(), l));
                sourceInfos.add(new SourceInfo(s.id(), s.describe(), s.packages(), l.entries().size(), l.totalSize()));
            }
            List<PieceStream> live = new ArrayList<>(streams);
            int turn = 0;
            while (docs.size() < settings.documents() && !live.isEmpty()) {
                PieceStream s = live.get(turn % live.size());
                String id = String.format("%s-%02d", domain.name(), docs.size());
                DocumentEntry d = document(cutter, s, id, DocumentEntry.STANDARD, settings.minTokens(), out, infos);
                if (d == null) {
                    live.remove(s); // exhausted: the others take its turns
                } else {
                    docs.add(d);
                    turn++;
                }
            }
            if (docs.size() < settings.documents()) {
                log.println("WARNING: " + domain.name() + ": the sources hold only " + docs.size() + " documents of "
                        + settings.minTokens() + " tokens, not " + settings.documents());
            }
            if (settings.longTokens() > 0) {
                docs.addAll(longDocument(domain, settings, cutter, streams, listings, out, infos));
            }
        } finally {
            for (TextSource.Listing l : listings) {
                l.close();
            }
        }
        removeOthers(out, docs);
        return new DomainEntry(domain.description(), settings, used, sourceInfos, docs);
    }

    /** One document from the source with the most material, restarting at its beginning. */
    private List<DocumentEntry> longDocument(Domain domain, BuildSettings settings, DocumentCutter cutter,
                                             List<PieceStream> streams, List<TextSource.Listing> listings, Path out,
                                             Map<String, TokenizerInfo> infos) throws IOException {
        int best = 0;
        for (int i = 1; i < listings.size(); i++) {
            if (listings.get(i).totalSize() > listings.get(best).totalSize()) {
                best = i;
            }
        }
        PieceStream fresh = new PieceStream(streams.get(best).sourceId(), listings.get(best));
        String id = domain.name() + "-long";
        DocumentEntry d = document(cutter, fresh, id, DocumentEntry.LONG, settings.longTokens(), out, infos);
        if (d == null) {
            log.println(domain.name() + ": no long document: its largest source (" + fresh.sourceId() + ") has fewer than "
                    + settings.longTokens() + " tokens");
            return List.of();
        }
        return List.of(d);
    }

    /** The next document of {@code s}: re-used from its sidecar if that still matches, else cut and counted. */
    private DocumentEntry document(DocumentCutter cutter, PieceStream s, String id, String kind, int target, Path out,
                                   Map<String, TokenizerInfo> infos) throws IOException {
        Path txt = out.resolve(id + ".txt");
        Path sidecar = out.resolve(id + ".json");
        DocumentEntry reused = reuse(cutter, s, sidecar, txt, kind, target, infos);
        if (reused != null) {
            log.println(id + ": re-used (" + describe(reused) + ")");
            return reused;
        }
        long t0 = System.nanoTime();
        DocumentCutter.Cut cut = cutter.cut(s, target);
        if (cut == null) {
            return null;
        }
        byte[] bytes = cut.text().getBytes(StandardCharsets.UTF_8);
        DocumentEntry d = new DocumentEntry(id, kind, dir.documents().relativize(txt).toString().replace('\\', '/'),
                s.sourceId(), cut.start(), cut.end(), sha256(bytes), cut.tokens(), target, cut.files());
        writer.write(txt, bytes);
        writer.write(sidecar, Json.pretty(new Sidecar(infos, d)));
        log.printf("%s: %s in %.1f s%n", id, describe(d), (System.nanoTime() - t0) / 1e9);
        return d;
    }

    private static String describe(DocumentEntry d) {
        return d.source() + ", " + d.files().size() + " files, " + d.bytes() + " bytes, tokens " + d.tokens();
    }

    /** A document's manifest entry plus the tokenizers its counts were made with. */
    record Sidecar(Map<String, TokenizerInfo> tokenizers, DocumentEntry document) {
    }

    private DocumentEntry reuse(DocumentCutter cutter, PieceStream s, Path sidecar, Path txt, String kind, int target,
                                Map<String, TokenizerInfo> infos) {
        Sidecar old;
        try {
            old = Json.MAPPER.readValue(sidecar.toFile(), Sidecar.class);
        } catch (IOException | RuntimeException e) {
            return null; // absent or unreadable: count again
        }
        DocumentEntry d = old.document();
        if (!new TreeMap<>(old.tokenizers()).equals(new TreeMap<>(infos)) || !d.kind().equals(kind)
                || d.target() != target || !d.source().equals(s.sourceId()) || d.start() != s.offset()) {
            return null;
        }
        List<Piece> pieces = cutter.replay(s, d.files());
        if (pieces == null) {
            return null;
        }
        byte[] bytes = pieces.stream().map(Piece::text).collect(Collectors.joining()).getBytes(StandardCharsets.UTF_8);
        try {
            if (sha256(bytes).equals(d.sha256()) && Files.isRegularFile(txt) && Sha256.of(txt).equals(d.sha256())) {
                return d;
            }
        } catch (IOException e) {
            // unreadable text file: fall through and rebuild it
        }
        s.giveBack(pieces);
        return null;
    }

    /** Drops documents of earlier builds that this one did not make (e.g. fewer --docs). */
    private static void removeOthers(Path out, List<DocumentEntry> docs) throws IOException {
        Set<String> keep = docs.stream().flatMap(d -> Stream.of(d.id() + ".txt", d.id() + ".json"))
                .collect(Collectors.toSet());
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                if (!keep.contains(p.getFileName().toString())) {
                    AtomicFiles.deleteTree(p);
                }
            }
        }
    }

    private static String sha256(byte[] bytes) {
        java.security.MessageDigest md = Sha256.newDigest();
        md.update(bytes);
        return Sha256.hex(md);
    }
}
