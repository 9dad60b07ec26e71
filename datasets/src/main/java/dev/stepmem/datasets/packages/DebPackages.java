package dev.stepmem.datasets.packages;

import dev.stepmem.assets.Sha256;
import dev.stepmem.datasets.AtomicFiles;
import dev.stepmem.datasets.DatasetException;
import dev.stepmem.datasets.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The package half of the cache: {@code debs/} holds downloaded .deb files, {@code trees/NAME/}
 * their unpacked contents. A tree is unpacked into a ".part" folder and renamed into place with
 * its {@value #INFO} inside, so a tree under its final name is always complete. Cached trees are
 * re-used; only a refresh asks the mirror again (and may get a newer version).
 */
public final class DebPackages {
    static final String INFO = ".stepmem-package.json";

    private final Path debs;
    private final Path trees;
    private final PackageFetcher fetcher;
    private final PrintStream log;

    public DebPackages(Path folder, PackageFetcher fetcher, PrintStream log) {
        this.debs = folder.resolve("debs");
        this.trees = folder.resolve("trees");
        this.fetcher = fetcher;
        this.log = log;
    }

    /** Where a user without apt-get can put .deb files by hand. */
    public Path debFolder() {
        return debs;
    }

    /**
     * The unpacked package, from the cache when it is there (unless {@code refresh}), else from a
     * .deb in {@code debs/}, else downloaded.
     */
    public InstalledPackage ensure(String name, boolean refresh) {
        try {
            Files.createDirectories(debs);
            Files.createDirectories(trees);
            AtomicFiles.sweepParts(debs);
            AtomicFiles.sweepParts(trees);
            Path tree = trees.resolve(name);
            Path info = tree.resolve(INFO);
            if (!refresh && Files.isRegularFile(info)) {
                return Json.MAPPER.readValue(info.toFile(), InstalledPackage.class).withTree(tree);
            }
            Path deb = refresh ? null : cachedDeb(name);
            if (deb == null) {
                deb = download(name);
            }
            return unpack(name, deb, tree);
        } catch (IOException e) {
            throw new DatasetException("cannot prepare Debian package " + name + " in " + trees.getParent() + ": "
                    + e.getMessage() + (noSpace(e) ? " (disk full: free space or set STEPMEM_CACHE to a larger "
                    + "disk, then re-run; nothing partial was kept)" : ""), e);
        }
    }

    static boolean noSpace(IOException e) {
        return String.valueOf(e.getMessage()).contains("No space left");
    }

    /** The one .deb of {@code name} in debs/, or null; several are ambiguous. */
    private Path cachedDeb(String name) throws IOException {
        List<Path> found = debsOf(name);
        if (found.size() > 1) {
            throw new DatasetException("several .deb files for " + name + " in " + debs + ": " + found.stream()
                    .map(p -> p.getFileName().toString()).toList() + ". Keep one and re-run.");
        }
        return found.isEmpty() ? null : found.getFirst();
    }

    private List<Path> debsOf(String name) throws IOException {
        try (Stream<Path> s = Files.list(debs)) {
            return s.filter(p -> p.getFileName().toString().startsWith(name + "_")
                    && p.getFileName().toString().endsWith(".deb")).sorted().toList();
        }
    }

    private Path download(String name) throws IOException {
        Path tmp = debs.resolve("." + name + ".download" + AtomicFiles.PART);
        AtomicFiles.deleteTree(tmp);
        Files.createDirectories(tmp);
        try {
            log.println("downloading Debian package " + name + " ...");
            Path got = fetcher.download(name, tmp);
            for (Path old : debsOf(name)) {
                Files.delete(old);
            }
            Path deb = debs.resolve(got.getFileName().toString());
            AtomicFiles.move(got, deb);
            return deb;
        } finally {
            AtomicFiles.deleteTree(tmp);
            AtomicFiles.sweepParts(debs);
        }
    }

    private InstalledPackage unpack(String name, Path deb, Path tree) throws IOException {
        String pkg = Dpkg.field(deb, "Package");
        if (!pkg.equals(name)) {
            throw new DatasetException(deb + " is package " + pkg + ", not " + name + ": remove it and re-run.");
        }
        String version = Dpkg.field(deb, "Version");
        InstalledPackage p = new InstalledPackage(name, version, deb.getFileName().toString(), Sha256.of(deb),
                Files.size(deb), tree);
        Path tmp = trees.resolve("." + name + AtomicFiles.PART);
        AtomicFiles.deleteTree(tmp);
        Files.createDirectories(tmp);
        try {
            log.println("unpacking " + deb.getFileName() + " ...");
            Dpkg.extract(deb, tmp);
            Files.write(tmp.resolve(INFO), Json.pretty(p));
            AtomicFiles.deleteTree(tree);
            Files.move(tmp, tree, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
        return p;
    }
}
