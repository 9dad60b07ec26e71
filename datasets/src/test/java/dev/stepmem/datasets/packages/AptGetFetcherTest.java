package dev.stepmem.datasets.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.datasets.DatasetException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apt-get's failures, played by small scripts, turn into messages that say what to do. */
class AptGetFetcherTest {
    @TempDir
    Path tmp;

    Path script(String body) throws IOException {
        Path s = tmp.resolve("apt-get-" + Integer.toHexString(body.hashCode()));
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }

    DatasetException fail(String aptGet) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dl"));
        return assertThrows(DatasetException.class,
                () -> new AptGetFetcher(aptGet, tmp.resolve("debs")).download("golang-1.19-src", dir));
    }

    @Test
    void noAptGetNamesTheManualRoute() throws IOException {
        DatasetException e = fail(tmp.resolve("no-such-apt-get").toString());
        assertTrue(e.getMessage().contains("apt-get is not installed") && e.getMessage().contains("golang-1.19-src")
                && e.getMessage().contains(tmp.resolve("debs").toString()), e.getMessage());
    }

    @Test
    void aPackageThatNoLongerExists() throws IOException {
        DatasetException e = fail(script("echo 'E: Unable to locate package golang-1.19-src' >&2; exit 100").toString());
        assertTrue(e.getMessage().contains("golang-1.19-src is not available here")
                && e.getMessage().contains("apt-get update"), e.getMessage());
    }

    @Test
    void noNetwork() throws IOException {
        DatasetException e = fail(script("echo \"Err:1 http://deb.debian.org/debian bookworm/main all golang-1.19-src all 1.19.8-2\n"
                + "  Temporary failure resolving 'deb.debian.org'\nE: Failed to fetch http://x/y.deb\" >&2; exit 100").toString());
        assertTrue(e.getMessage().contains("not reachable (no network") && e.getMessage().contains("golang-1.19-src"),
                e.getMessage());
    }

    @Test
    void successReturnsTheDeb() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ok"));
        Path deb = new AptGetFetcher(script("[ \"$1\" = download ] && touch \"$2_1.0-1_all.deb\"").toString(),
                tmp.resolve("debs")).download("pkg", dir);
        assertEquals(dir.resolve("pkg_1.0-1_all.deb"), deb);
    }
}
