package dev.stepmem.assets;

import dev.stepmem.model.load.CheckpointException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a file already in the cache. The size is checked every time; the sha256 only once,
 * after which a "&lt;file&gt;.sha256-ok" marker records the size and mtime that were verified so
 * later runs do not re-hash 60 MB. Touching or replacing the file invalidates the marker.
 */
public final class VerifiedFile {
    static final String MARKER_SUFFIX = ".sha256-ok";

    private VerifiedFile() {
    }

    /**
     * @return false if the file is absent, true if it is present and verified
     * @throws CheckpointException if it is present but has the wrong size or checksum
     */
    public static boolean check(Path file, long expectedSize, String expectedSha256) {
        if (!Files.exists(file)) {
            return false;
        }
        try {
            long size = Files.size(file);
            if (size != expectedSize) {
                throw new CheckpointException(file.toString(), "is " + size + " bytes, expected " + expectedSize
                        + " (sha256 " + expectedSha256 + "): it is incomplete or a different file. "
                        + "Delete it and re-run `stepmem fetch`.");
            }
            Path marker = marker(file);
            String stamp = stamp(file, expectedSha256);
            if (Files.exists(marker) && Files.readString(marker).strip().equals(stamp)) {
                return true;
            }
            String actual = Sha256.of(file);
            if (!actual.equals(expectedSha256)) {
                throw new CheckpointException(file.toString(), "wrong sha256: expected " + expectedSha256
                        + ", actual " + actual + ". The file is corrupt or a different version. "
                        + "Delete it and re-run `stepmem fetch`.");
            }
            Files.writeString(marker, stamp + "\n");
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot verify " + file + ": " + e.getMessage(), e);
        }
    }

    /** Records that {@code file} was just verified (used right after a fresh extraction). */
    static void markVerified(Path file, String sha256) throws IOException {
        Files.writeString(marker(file), stamp(file, sha256) + "\n");
    }

    static Path marker(Path file) {
        return file.resolveSibling(file.getFileName() + MARKER_SUFFIX);
    }

    private static String stamp(Path file, String sha256) throws IOException {
        return "size=" + Files.size(file) + " mtime=" + Files.getLastModifiedTime(file).toMillis()
                + " sha256=" + sha256;
    }
}
