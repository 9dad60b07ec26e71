package dev.stepmem.datasets;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes that are all-or-nothing: data goes to a ".part" file beside the target and is renamed
 * over it only once complete, so a crash, a kill or a full disk never leaves a partial file under
 * a final name. Leftover ".part" files are ignored by readers and swept by {@link #sweepParts}.
 */
public final class AtomicFiles {
    public static final String PART = ".part";

    private AtomicFiles() {
    }

    /** Writes {@code data} to {@code target} atomically; on failure nothing changes at {@code target}. */
    public static void write(Path target, byte[] data) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", PART);
        boolean moved = false;
        try {
            Files.write(tmp, data);
            readableByAll(tmp);
            move(tmp, target);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Temp files start owner-only; data files should read like any other file in the cache. */
    private static void readableByAll(Path p) {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: keep the defaults
        }
    }

    /** Renames {@code from} to {@code to} atomically, replacing a file (not a folder) at {@code to}. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically: " + e.getMessage(), e);
        }
    }

    /** Deletes leftovers of interrupted writes ("*.part" files and folders) directly under {@code dir}. */
    public static void sweepParts(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(PART)).toList()) {
                deleteTree(p);
            }
        }
    }

    /** Deletes a file or a folder with everything in it; absent is fine. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
