package dev.stepmem.bench.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateReferenceTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void writtenFileReadsBack(@TempDir Path root) {
        GateReference written = GateReference.write(root, SHA, "the engine got faster");
        GateReference read = GateReference.read(root);
        assertEquals(written, read);
        assertEquals("0123456789ab", read.shortCommit());
    }

    @Test
    void malformedFilesAreRefusedWithTheirLine() {
        GateException unknownKey = assertThrows(GateException.class,
                () -> GateReference.parse(List.of("# c", "commit = " + SHA, "colour = red"), "F"));
        assertEquals("F: line 3: expected 'commit = SHA', 'reason = TEXT' or 'moved = DATE', found 'colour = red'",
                unknownKey.getMessage());
        GateException shortSha = assertThrows(GateException.class,
                () -> GateReference.parse(List.of("commit = abc123", "reason = r"), "F"));
        assertTrue(shortSha.getMessage().contains("full 40-digit hex SHA"), shortSha.getMessage());
        GateException noReason = assertThrows(GateException.class,
                () -> GateReference.parse(List.of("commit = " + SHA), "F"));
        assertEquals(GateException.NO_VERDICT, noReason.exitCode);
    }

    @Test
    void aMissingFileSaysHowToPinOne(@TempDir Path root) {
        GateException e = assertThrows(GateException.class, () -> GateReference.read(root));
        assertEquals(GateException.NO_VERDICT, e.exitCode);
        assertTrue(e.getMessage().contains("bin/ttft-gate refresh --to REV"), e.getMessage());
    }

    @Test
    void theCommittedPinIsACommitOfThisRepository() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        GateReference ref = GateReference.read(root);
        if (Files.isDirectory(root.resolve(".git")) && !Files.exists(root.resolve(".git/shallow"))) {
            ReferenceBuild.requireCommit(root, ref.commit()); // throws when the pin names no commit here
        }
    }
}
