package dev.stepmem.results;

import dev.stepmem.exit.CannotRunHereException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One writer at a time for a results file, across processes: an OS lock on FILE.lock beside it
 * (the results file itself is replaced by renames, so it cannot carry the lock). The holder writes
 * who it is into the lock file, so a refused writer can name it. The OS drops the lock when its
 * process dies, so a killed run never leaves a stale lock; the lock file itself stays (deleting
 * it would let two writers lock two different files).
 */
public final class ResultsLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private ResultsLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of a results file. */
    public static Path lockFile(Path results) {
        return results.toAbsolutePath().resolveSibling(results.getFileName() + ".lock");
    }

    /**
     * Takes the lock, trying for up to {@code wait} (zero: once); if another writer keeps it,
     * fails with a message that names that writer (exit code 3).
     *
     * @param who what this writer is, written into the lock file for the message of the next one
     */
    public static ResultsLock acquire(Path results, Duration wait, String who) {
        Path file = lockFile(results);
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                while (true) {
                    FileLock lock = tryLock(channel);
                    if (lock != null) {
                        String holder = "pid " + ProcessHandle.current().pid() + " (" + who + ") since "
                                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
                        channel.truncate(0);
                        channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
                        return new ResultsLock(channel, lock);
                    }
                    if (System.nanoTime() >= deadline) {
                        throw new CannotRunHereException(results + " is being written by another run: "
                                + holder(file) + "; wait for it to finish, or write to another file");
                    }
                    Thread.sleep(50);
                }
            } catch (RuntimeException | IOException | InterruptedException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + results + " (" + file + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotRunHereException("interrupted while waiting for the lock of " + results);
        }
    }

    /** The lock, or null while another process (or another channel of this one) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static String holder(Path lockFile) {
        try {
            String text = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "a process that has not said who it is yet" : text;
        } catch (IOException e) {
            return "unknown (" + lockFile + " cannot be read)";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the results lock: " + e.getMessage(), e);
        }
    }
}
