package dev.stepmem.datasets.packages;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external tool with stdin closed and its output captured to files (no pipe can fill up). */
final class ProcessRunner {
    /** What a finished process left behind. */
    record Result(int exitCode, String stdout, String stderr) {
        String tail() {
            String both = (stderr.strip() + "\n" + stdout.strip()).strip();
            // apt's note that root skips its download sandbox is noise in an error message.
            List<String> lines = both.lines().filter(l -> !l.startsWith("W: Download is performed unsandboxed")).toList();
            return String.join("\n  ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        }
    }

    private ProcessRunner() {
    }

    /**
     * @throws IOException if the program cannot be started at all (not installed)
     */
    static Result run(List<String> command, Path workDir, Map<String, String> env, long timeoutMinutes)
            throws IOException {
        Path out = Files.createTempFile(workDir, ".stdout-", ".part");
        Path err = Files.createTempFile(workDir, ".stderr-", ".part");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            try {
                if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    return new Result(-1, "", "timed out after " + timeoutMinutes + " minutes");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + command.getFirst(), e);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
