package dev.stepmem.datasets.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.datasets.AtomicFiles;
import dev.stepmem.datasets.DataDir;
import dev.stepmem.datasets.DatasetException;
import dev.stepmem.datasets.TestTokenizers;
import dev.stepmem.datasets.build.DatasetBuilder;
import dev.stepmem.datasets.packages.DebPackages;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampler over a domain built from fake packages. */
class DatasetSamplerTest {
    @TempDir
    static Path tmp;

    static DataDir dir;

    @BeforeAll
    static void build() throws IOException {
        dir = new DataDir(tmp);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        new DatasetBuilder(dir, new DebPackages(dir.packages(), dev.stepmem.datasets.build.DatasetBuilderTestAccess.packages(), quiet),
                TestTokenizers::both, quiet, AtomicFiles::write)
                .build(dev.stepmem.datasets.build.DatasetBuilderTestAccess.domain(),
                        dev.stepmem.datasets.build.DatasetBuilderTestAccess.SETTINGS, false);
    }

    @Test
    void sameSeedSameSamplesAndEachIsBosPlusTheDocumentStart() throws IOException {
        DatasetSampler s = new DatasetSampler(dir);
        List<Sample> a = s.sample("code", TestTokenizers.BYTES, 3, 250, 7);
        List<Sample> b = new DatasetSampler(dir).sample("code", TestTokenizers.BYTES, 3, 250, 7);
        assertEquals(a.stream().map(Sample::documentId).toList(), b.stream().map(Sample::documentId).toList());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).ids(), b.get(i).ids());
            assertEquals(250, a.get(i).ids().length);
            assertEquals(1, a.get(i).ids()[0]);
            String doc = Files.readString(dir.domain("code").resolve(a.get(i).documentId() + ".txt"));
            assertTrue(doc.startsWith(TestTokenizers.BYTES.tokenizer().decode(a.get(i).ids())));
        }
        Set<List<String>> picks = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            picks.add(s.sample("code", TestTokenizers.BYTES, 3, 250, seed).stream().map(Sample::documentId).toList());
        }
        assertTrue(picks.size() > 1, "different seeds pick differently");
    }

    @Test
    void longerThanTheStandardDocumentsDrawsTheLongOne() {
        List<Sample> s = new DatasetSampler(dir).sample("code", TestTokenizers.BYTES, 1, 1400, 1);
        assertEquals("code-long", s.getFirst().documentId());
        DatasetException e = assertThrows(DatasetException.class,
                () -> new DatasetSampler(dir).sample("code", TestTokenizers.BYTES, 2, 1400, 1));
        // L above the build's --tokens: the message says why the standard documents (which may be longer) do not count
        assertEquals("-L 1400 is above the 300 tokens the standard documents of code were built with, so samples come "
                + "from its long documents, and it has 1 of at least 1400 bytes tokens, fewer than the 2 asked for "
                + "(rebuild with --tokens 1400 or more, or a larger --long-tokens)", e.getMessage());
    }

    @Test
    void unknownDomainsTokenizersAndDamagedFilesAreRefused() throws IOException {
        DatasetSampler s = new DatasetSampler(dir);
        assertTrue(assertThrows(DatasetException.class, () -> s.sample("books", TestTokenizers.BYTES, 1, 10, 1))
                .getMessage().contains("domain 'books' is not built"));
        var other = new dev.stepmem.datasets.build.NamedTokenizer("bytes",
                new dev.stepmem.datasets.manifest.TokenizerInfo("changed", "2".repeat(64)), TestTokenizers.BYTES.tokenizer());
        assertTrue(assertThrows(DatasetException.class, () -> s.sample("code", other, 1, 10, 1))
                .getMessage().contains("no token counts for tokenizer 'bytes'"));
        DataDir copy = new DataDir(tmp.resolve("copy"));
        Files.createDirectories(copy.domain("code"));
        Files.copy(dir.documents().resolve("manifest.json"), copy.documents().resolve("manifest.json"));
        try (var files = Files.list(dir.domain("code"))) {
            for (Path f : files.toList()) {
                Files.writeString(copy.domain("code").resolve(f.getFileName()), "tampered");
            }
        }
        DatasetException e = assertThrows(DatasetException.class,
                () -> new DatasetSampler(copy).sample("code", TestTokenizers.BYTES, 1, 10, 1));
        assertTrue(e.getMessage().contains("does not match its sha256 in the manifest"), e.getMessage());
        assertTrue(assertThrows(DatasetException.class, () -> new DatasetSampler(new DataDir(tmp.resolve("none"))))
                .getMessage().contains("run `bin/datasets build` first"));
    }
}
