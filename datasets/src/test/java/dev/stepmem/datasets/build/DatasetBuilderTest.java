package dev.stepmem.datasets.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.datasets.AtomicFiles;
import dev.stepmem.datasets.DataDir;
import dev.stepmem.datasets.DatasetException;
import dev.stepmem.datasets.FakeDebs;
import dev.stepmem.datasets.TestTokenizers;
import dev.stepmem.datasets.manifest.BuildSettings;
import dev.stepmem.datasets.manifest.DocumentEntry;
import dev.stepmem.datasets.manifest.DomainEntry;
import dev.stepmem.datasets.manifest.Manifest;
import dev.stepmem.datasets.manifest.ManifestStore;
import dev.stepmem.datasets.packages.DebPackages;
import dev.stepmem.datasets.sources.DirectorySource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder on a small fake package tree: real .deb files, real dpkg-deb, test tokenizers. */
class DatasetBuilderTest {
    static final BuildSettings SETTINGS = new BuildSettings(300, 4, 1500, DatasetBuilder.SEPARATOR);

    @TempDir
    Path tmp;

    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    static Domain domain() {
        return new Domain("code", "test code and docs", List.of(
                new DirectorySource("alpha", "fake-code", "usr/share/code-*/src", List.of(".go")),
                new DirectorySource("beta", "fake-docs", "usr/share/doc/fake", List.of(".tex"))));
    }

    static FakeDebs packages(String codeVersion) throws IOException {
        Map<String, byte[]> code = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            code.put(String.format("usr/share/code-1.0/src/pkg%d/file%02d.go", i % 5, i),
                    ("package pkg" + (i % 5) + "\n\n// File " + i + " does one thing well.\nfunc F" + i
                            + "() int { return " + i + " }\n").repeat(3).getBytes(StandardCharsets.UTF_8));
        }
        code.put("usr/share/code-1.0/src/pkg0/zz_binary.go", new byte[]{'a', 0, 'b'});
        code.put("usr/share/code-1.0/src/pkg0/zz_latin1.go", new byte[]{'c', (byte) 0xE9, '\n'});
        code.put("usr/share/code-1.0/src/pkg0/README", "not selected".getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> docs = new TreeMap<>();
        for (int i = 0; i < 12; i++) {
            String tex = ("\\section{Part " + i + "}\nWe prove that $x^" + i + " \\geq 0$ for all real x. ü\n").repeat(4);
            docs.put(String.format("usr/share/doc/fake/paper%02d.tex", i), tex.getBytes(StandardCharsets.UTF_8));
        }
        docs.put("usr/share/doc/fake/aa-zipped.tex.gz", gzip("\\documentclass{article} compressed by Debian\n".repeat(5)));
        return new FakeDebs().put("fake-code", codeVersion, code).put("fake-docs", "2:0.5-3", docs);
    }

    static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(b)) {
            out.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    DatasetBuilder builder(Path root, FakeDebs debs, DatasetBuilder.Writer writer) {
        DataDir dir = new DataDir(root);
        return new DatasetBuilder(dir, new DebPackages(dir.packages(), debs, log), TestTokenizers::both, log, writer);
    }

    DomainEntry build(Path root, FakeDebs debs) {
        return builder(root, debs, AtomicFiles::write).build(domain(), SETTINGS, false);
    }

    static byte[] manifestBytes(Path root) throws IOException {
        return Files.readAllBytes(new DataDir(root).documents().resolve(ManifestStore.FILE));
    }

    @Test
    void documentsAreLongEnoughRunsOfWholeFilesOfOneSource() throws IOException {
        Path root = tmp.resolve("a");
        DomainEntry e = build(root, packages("1.0-1"));
        List<DocumentEntry> standard = e.documents().stream().filter(d -> d.kind().equals(DocumentEntry.STANDARD)).toList();
        assertEquals(4, standard.size());
        assertEquals(List.of("alpha", "beta", "alpha", "beta"), standard.stream().map(DocumentEntry::source).toList(),
                "round robin over the sources");
        for (DocumentEntry d : e.documents()) {
            String text = Files.readString(root.resolve("documents").resolve(d.file()));
            assertTrue(d.tokens().get("bytes") >= d.target() && d.tokens().get("words") >= d.target(), d.toString());
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, d.end() - d.start());
            assertEquals(TestTokenizers.WORDS.count(text), d.tokens().get("words"));
            // whole files in order, each behind its separator line
            StringBuilder headers = new StringBuilder();
            text.lines().filter(l -> l.startsWith("==> ")).forEach(l -> headers.append(l).append('\n'));
            StringBuilder expected = new StringBuilder();
            d.files().forEach(f -> expected.append("==> ").append(f).append(" <==\n"));
            assertEquals(expected.toString(), headers.toString());
            assertTrue(text.startsWith("==> " + d.files().getFirst() + " <==\n"));
        }
        // consecutive documents of one source continue where the previous one stopped
        assertEquals(standard.get(0).end(), standard.get(2).start());
        assertEquals(0, standard.get(1).start());
        List<String> allFiles = e.documents().stream().flatMap(d -> d.files().stream()).toList();
        assertFalse(allFiles.contains("pkg0/zz_binary.go") || allFiles.contains("pkg0/zz_latin1.go"),
                "binary and non-UTF-8 files are skipped");
        DocumentEntry longDoc = e.documents().getLast();
        assertEquals("code-long", longDoc.id());
        assertEquals("alpha", longDoc.source(), "the long document comes from the largest source");
        assertEquals(0, longDoc.start());
        assertTrue(longDoc.minTokens() >= 1500);
        assertEquals(List.of("1.0-1", "2:0.5-3"), e.packages().stream().map(p -> p.version()).toList());
        DomainEntry docsOnly = build(tmp.resolve("b"), packages("1.0-1"));
        assertTrue(docsOnly.documents().stream().flatMap(d -> d.files().stream()).noneMatch(f -> f.endsWith("README")));
    }

    @Test
    void gzippedDocumentationIsReadDecompressed() throws IOException {
        Path root = tmp.resolve("gz");
        DomainEntry e = builder(root, packages("1.0-1"), AtomicFiles::write)
                .build(domain(), new BuildSettings(300, 8, 0, DatasetBuilder.SEPARATOR), false);
        DocumentEntry withZip = e.documents().stream().filter(d -> d.files().contains("aa-zipped.tex.gz")).findFirst()
                .orElseThrow();
        assertTrue(Files.readString(root.resolve("documents").resolve(withZip.file()))
                .contains("==> aa-zipped.tex.gz <==\n\\documentclass{article} compressed by Debian"));
    }

    @Test
    void twoBuildsFromScratchGiveByteIdenticalManifests() throws IOException {
        build(tmp.resolve("a"), packages("1.0-1"));
        build(tmp.resolve("b"), packages("1.0-1"));
        assertArrayEquals(manifestBytes(tmp.resolve("a")), manifestBytes(tmp.resolve("b")));
        String json = new String(manifestBytes(tmp.resolve("a")), StandardCharsets.UTF_8);
        assertFalse(json.contains(tmp.toString()), "no absolute paths in the manifest");
    }

    @Test
    void secondRunReusesCachedPackagesAndIsUpToDate() throws IOException {
        FakeDebs debs = packages("1.0-1");
        Path root = tmp.resolve("a");
        build(root, debs);
        byte[] first = manifestBytes(root);
        build(root, debs);
        assertEquals(1, debs.downloads("fake-code"), "the cached package is re-used");
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("code: up to date"));
        assertArrayEquals(first, manifestBytes(root));
    }

    @Test
    void diskFullLeavesNothingHalfBuiltAndTheNextRunResumes() throws IOException {
        build(tmp.resolve("reference"), packages("1.0-1"));
        Path root = tmp.resolve("a");
        AtomicInteger writes = new AtomicInteger();
        DatasetBuilder failing = builder(root, packages("1.0-1"), (target, data) -> {
            if (writes.incrementAndGet() == 5) {
                Files.write(target.resolveSibling("." + target.getFileName() + ".x" + AtomicFiles.PART),
                        new byte[]{1, 2, 3}); // what a write cut short leaves behind
                throw new IOException("No space left on device");
            }
            AtomicFiles.write(target, data);
        });
        DatasetException e = assertThrows(DatasetException.class, () -> failing.build(domain(), SETTINGS, false));
        assertTrue(e.getMessage().contains("disk is full") && e.getMessage().contains("code"), e.getMessage());
        Manifest after = new ManifestStore(new DataDir(root).documents()).read();
        assertFalse(after.domains().containsKey("code"), "a half-built domain is not in the manifest");

        logBytes.reset();
        build(root, packages("1.0-1"));
        assertArrayEquals(manifestBytes(tmp.resolve("reference")), manifestBytes(root));
        String log = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("code-00: re-used") && log.contains("code-01: re-used"), log);
        assertNoParts(root);
    }

    @Test
    void damagedDocumentsAndLeftoversAreRebuiltNotUsed() throws IOException {
        Path root = tmp.resolve("a");
        build(root, packages("1.0-1"));
        byte[] reference = manifestBytes(root);
        Path docs = new DataDir(root).domain("code");
        Files.writeString(docs.resolve("code-01.txt"), "truncated");
        Files.write(docs.resolve(".code-02.txt.123" + AtomicFiles.PART), new byte[10]);
        Files.delete(docs.resolve("code-03.json"));
        Files.writeString(docs.resolve("code-09.txt"), "stale document of an earlier build");
        logBytes.reset();
        build(root, packages("1.0-1"));
        assertArrayEquals(reference, manifestBytes(root));
        String log = logBytes.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("code-01: re-used") || log.contains("code-03: re-used"), log);
        assertTrue(log.contains("code-00: re-used"), log);
        assertFalse(Files.exists(docs.resolve("code-09.txt")));
        assertNoParts(root);
    }

    @Test
    void aNewPackageVersionIsReportedLoudlyAndRecorded() throws IOException {
        Path root = tmp.resolve("a");
        build(root, packages("1.0-1"));
        logBytes.reset();
        DomainEntry e = builder(root, packages("1.0-2"), AtomicFiles::write).build(domain(), SETTINGS, true);
        String log = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("WARNING: package fake-code changed from version 1.0-1 to 1.0-2"), log);
        assertTrue(Files.readString(new DataDir(root).documents().resolve("CHANGES.log"))
                .contains("package fake-code changed from version 1.0-1 to 1.0-2"));
        assertEquals("1.0-2", e.packages().getFirst().version());
        assertTrue(new String(manifestBytes(root), StandardCharsets.UTF_8).contains("\"version\" : \"1.0-2\""));
        try (Stream<Path> debs = Files.list(new DataDir(root).packages().resolve("debs"))) {
            assertEquals(2, debs.count(), "the old .deb is replaced, one per package");
        }
    }

    @Test
    void aMissingPackageFailsClearlyAndBuildsNothing() {
        Path root = tmp.resolve("a");
        FakeDebs onlyCode = new FakeDebs();
        DatasetException e = assertThrows(DatasetException.class,
                () -> builder(root, onlyCode, AtomicFiles::write).build(domain(), SETTINGS, false));
        assertTrue(e.getMessage().contains("fake-code") && e.getMessage().contains("Unable to locate package"),
                e.getMessage());
        assertFalse(Files.exists(new DataDir(root).documents().resolve(ManifestStore.FILE)));
        assertFalse(Files.exists(new DataDir(root).packages().resolve("trees/fake-code")));
    }

    @Test
    void tooLittleMaterialGivesFewerDocumentsAndSaysSo() throws IOException {
        DomainEntry e = builder(tmp.resolve("a"), packages("1.0-1"), AtomicFiles::write)
                .build(domain(), new BuildSettings(2000, 4, 100000, DatasetBuilder.SEPARATOR), false);
        assertTrue(e.documents().size() < 4);
        String log = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("WARNING: code: the sources hold only"), log);
        assertTrue(log.contains("no long document"), log);
        assertNotEquals(0, e.documents().size());
    }

    private static void assertNoParts(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root.resolve("documents"))) {
            List<Path> parts = s.filter(p -> p.getFileName().toString().endsWith(AtomicFiles.PART)).toList();
            assertEquals(List.of(), parts);
        }
    }
}
