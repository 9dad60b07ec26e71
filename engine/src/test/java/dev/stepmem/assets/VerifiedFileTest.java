package dev.stepmem.assets;

import dev.stepmem.model.load.CheckpointException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifiedFileTest {
    @TempDir
    Path dir;

    @Test
    void absentFileIsNotAnError() {
        assertFalse(VerifiedFile.check(dir.resolve("none"), 3, "0".repeat(64)));
    }

    @Test
    void verifiesOnceThenTrustsTheMarker() throws Exception {
        Path f = Files.writeString(dir.resolve("model.bin"), "abc");
        String sha = Sha256.of(f);
        assertTrue(VerifiedFile.check(f, 3, sha));
        assertTrue(Files.exists(VerifiedFile.marker(f)));

        // Same size and mtime: the marker is trusted, so the changed content goes unhashed.
        FileTime mtime = Files.getLastModifiedTime(f);
        Files.writeString(f, "abd");
        Files.setLastModifiedTime(f, mtime);
        assertTrue(VerifiedFile.check(f, 3, sha));

        // A new mtime invalidates the marker and the bad content is caught.
        Files.setLastModifiedTime(f, FileTime.fromMillis(mtime.toMillis() + 5000));
        CheckpointException e = assertThrows(CheckpointException.class, () -> VerifiedFile.check(f, 3, sha));
        String m = e.getMessage();
        assertTrue(m.contains(f.toString()) && m.contains("expected " + sha) && m.contains("actual " + Sha256.of(f))
                && m.contains("stepmem fetch") && m.contains("Delete it"), m);
    }

    @Test
    void wrongSizeIsAnErrorWithoutHashing() throws Exception {
        Path f = Files.writeString(dir.resolve("tokenizer.bin"), "abcd");
        CheckpointException e = assertThrows(CheckpointException.class, () -> VerifiedFile.check(f, 3, "0".repeat(64)));
        assertTrue(e.getMessage().contains("is 4 bytes, expected 3"), e.getMessage());
    }
}
