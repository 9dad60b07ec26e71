package dev.stepmem.datasets.packages;

import dev.stepmem.datasets.DatasetException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code apt-get download NAME}: fetches the candidate version of a package from the machine's
 * configured Debian mirror into the current folder. Needs no root and installs nothing.
 */
public final class AptGetFetcher implements PackageFetcher {
    private static final List<String> NETWORK_ERRORS = List.of("Temporary failure resolving", "Could not resolve",
            "Could not connect", "Failed to fetch", "Connection failed", "Network is unreachable", "timed out");
    private static final List<String> MISSING = List.of("Unable to locate package", "has no installation candidate",
            "Can't select candidate version", "No packages found");

    private final String aptGet;
    private final Path manualFolder;

    /**
     * @param aptGet       the apt-get executable (a name on PATH or a path)
     * @param manualFolder where a user may put the .deb by hand instead; named in every error
     */
    public AptGetFetcher(String aptGet, Path manualFolder) {
        this.aptGet = aptGet;
        this.manualFolder = manualFolder;
    }

    /** apt-get from PATH, or $STEPMEM_APT_GET / -Dstepmem.apt-get (tests and unusual systems). */
    public static String defaultCommand() {
        String own = System.getProperty("stepmem.apt-get", System.getenv("STEPMEM_APT_GET"));
        return own != null && !own.isBlank() ? own : "apt-get";
    }

    @Override
    public Path download(String pkg, Path dir) {
        ProcessRunner.Result r;
        try {
            // LC_ALL=C: the error texts matched below are apt's untranslated ones.
            r = ProcessRunner.run(List.of(aptGet, "download", pkg), dir, Map.of("LC_ALL", "C"), 30);
        } catch (IOException e) {
            throw new DatasetException("cannot run `" + aptGet + " download " + pkg + "`: apt-get is not installed "
                    + "(" + e.getMessage() + "). The built-in corpora come from Debian packages, so this needs a "
                    + "Debian or Ubuntu machine; elsewhere, download " + pkg + "'s .deb from any Debian bookworm "
                    + "mirror into " + manualFolder + " and re-run, or use your own data as JSON lines (--jsonl).");
        }
        String all = r.stderr() + "\n" + r.stdout();
        if (r.exitCode() != 0) {
            if (MISSING.stream().anyMatch(all::contains)) {
                throw new DatasetException("Debian package " + pkg + " is not available here (apt-get: Unable to "
                        + "locate package). Run `apt-get update` (as root) if the package lists are old or missing; "
                        + "if the package no longer exists in this release, put its .deb (from snapshot.debian.org) "
                        + "into " + manualFolder + " and re-run.");
            }
            if (NETWORK_ERRORS.stream().anyMatch(all::contains)) {
                throw new DatasetException("cannot download Debian package " + pkg + ": the package mirror is not "
                        + "reachable (no network or a proxy is needed). Connect and re-run, or put its .deb into "
                        + manualFolder + " by hand. apt-get said:\n  " + r.tail());
            }
            throw new DatasetException("`apt-get download " + pkg + "` failed with exit code " + r.exitCode()
                    + ". It said:\n  " + r.tail());
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> debs = s.filter(p -> p.getFileName().toString().endsWith(".deb")).toList();
            if (debs.size() != 1) {
                throw new DatasetException("`apt-get download " + pkg + "` succeeded but left " + debs.size()
                        + " .deb files in " + dir + "; it said:\n  " + r.tail());
            }
            return debs.getFirst();
        } catch (IOException e) {
            throw new DatasetException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
