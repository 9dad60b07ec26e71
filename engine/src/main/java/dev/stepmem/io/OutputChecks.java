package dev.stepmem.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any long work, that an output can be written where {@link AtomicFile} will write
 * it: the file itself (when it exists) and the folder that receives its temp file.
 */
public final class OutputChecks {
    private OutputChecks() {
    }

    /** @param what the flag or role, for the message (e.g. "--output") */
    public static void requireWritable(Path file, String what) {
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException(what + " " + file + ": is a folder, expected a file");
        }
        if (Files.exists(target) && !Files.isWritable(target)) {
            throw new IllegalArgumentException(what + " " + file + ": not writable (permission denied)");
        }
        requireWritableFolder(target.getParent(), what + " " + file);
    }

    /**
     * The folder, or the nearest ancestor that exists (the rest is created), must be a folder a
     * file can be created in. Tried with a real file, removed at once: permission bits do not
     * tell (root ignores them; a read-only mount or /proc refuses all the same).
     */
    public static void requireWritableFolder(Path folder, String what) {
        Path existing = folder.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new IllegalArgumentException(what + ": " + existing + " is not a folder");
        }
        try {
            Files.delete(Files.createTempFile(existing, ".stepmem-write-check", ".tmp"));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IllegalArgumentException(what + ": cannot write into " + existing + " (permission denied)");
        } catch (java.nio.file.FileSystemException e) { // the reason, e.g. "Read-only file system", not our probe's name
            throw new IllegalArgumentException(what + ": cannot write into " + existing + " ("
                    + (e.getReason() != null ? e.getReason() : "no file can be created there") + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": cannot write into " + existing + " (" + e.getMessage() + ")");
        }
    }
}
