package dev.stepmem.datasets;

import dev.stepmem.datasets.packages.PackageFetcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A package fetcher for tests: it builds real, tiny .deb files with {@code dpkg-deb -b} from
 * file contents the test gives, so unpacking and version reading run the real dpkg-deb.
 * Unknown packages fail the way apt-get's message would.
 */
public final class FakeDebs implements PackageFetcher {
    private record Pkg(String version, Map<String, byte[]> files) {
    }

    private final Map<String, Pkg> packages = new LinkedHashMap<>();
    private final Map<String, Integer> downloads = new TreeMap<>();

    /** Adds (or replaces) a package; {@code files} maps paths like "usr/share/x/a.go" to contents. */
    public FakeDebs put(String name, String version, Map<String, byte[]> files) {
        packages.put(name, new Pkg(version, new TreeMap<>(files)));
        return this;
    }

    public int downloads(String name) {
        return downloads.getOrDefault(name, 0);
    }

    @Override
    public Path download(String name, Path dir) {
        Pkg p = packages.get(name);
        if (p == null) {
            throw new DatasetException("Debian package " + name + " is not available here (apt-get: Unable to locate package)");
        }
        downloads.merge(name, 1, Integer::sum);
        try {
            Path root = Files.createTempDirectory(dir.getParent(), "fake-deb-");
            Files.createDirectories(root.resolve("DEBIAN"));
            Files.writeString(root.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + p.version()
                    + "\nArchitecture: all\nMaintainer: Test <test@example.org>\nDescription: fake package for tests\n");
            for (var e : p.files().entrySet()) {
                Path f = root.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.write(f, e.getValue());
                if (e.getKey().contains("/bin/")) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            // Same content, same bytes: fixed timestamps, as a mirror serves one .deb for a version.
            try (var all = Files.walk(root)) {
                for (Path f : all.toList()) {
                    Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
                }
            }
            Path deb = dir.resolve(name + "_" + p.version() + "_all.deb");
            ProcessBuilder pb = new ProcessBuilder(List.of("dpkg-deb", "--root-owner-group", "-Zgzip", "-b", root.toString(),
                    deb.toString())).redirectErrorStream(true);
            pb.environment().put("SOURCE_DATE_EPOCH", "1700000000");
            Process proc = pb.start();
            String out = new String(proc.getInputStream().readAllBytes());
            if (!proc.waitFor(60, TimeUnit.SECONDS) || proc.exitValue() != 0) {
                throw new IllegalStateException("dpkg-deb -b failed: " + out);
            }
            AtomicFiles.deleteTree(root);
            return deb;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
