package dev.stepmem.datasets.packages;

import dev.stepmem.datasets.DatasetException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** dpkg-deb, which reads and unpacks a .deb as any user (no root, no package database). */
final class Dpkg {
    private Dpkg() {
    }

    /** A control field of the .deb (Package, Version, ...). */
    static String field(Path deb, String field) {
        ProcessRunner.Result r = run(List.of("dpkg-deb", "-f", deb.toString(), field), deb.getParent());
        String value = r.stdout().strip();
        if (r.exitCode() != 0 || value.isEmpty()) {
            throw new DatasetException(deb + ": not a readable Debian package (dpkg-deb -f " + field + " failed: "
                    + r.tail() + "). Delete it and re-run to download it again.");
        }
        return value;
    }

    /** Unpacks the data part of {@code deb} into the folder {@code into}. */
    static void extract(Path deb, Path into) {
        ProcessRunner.Result r = run(List.of("dpkg-deb", "-x", deb.toString(), into.toString()), into.getParent());
        if (r.exitCode() != 0) {
            String full = r.stderr().contains("No space left") ? " The disk is full: free space "
                    + "(or set STEPMEM_CACHE to a larger disk) and re-run." : " Delete it and re-run to download it again.";
            throw new DatasetException("cannot unpack " + deb + " (dpkg-deb -x failed:\n  " + r.tail() + ")." + full);
        }
    }

    private static ProcessRunner.Result run(List<String> command, Path workDir) {
        try {
            return ProcessRunner.run(command, workDir, Map.of("LC_ALL", "C"), 30);
        } catch (IOException e) {
            throw new DatasetException("cannot run dpkg-deb (" + e.getMessage() + "): it unpacks the Debian packages "
                    + "the corpora come from. Install dpkg (Debian/Ubuntu have it), or use your own data as JSON lines.");
        }
    }
}
