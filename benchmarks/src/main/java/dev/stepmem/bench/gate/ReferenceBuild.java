package dev.stepmem.bench.gate;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The reference commit's benchmarks jar, and the few git calls the gate makes. The commit's tree is exported with {@code git archive} into
 * {@code .cache/ttft-gate/SHA/} (no worktree, so the clone's state is untouched) and built there
 * with Maven from the local repository the main build just filled ({@code mvn -o}; online only
 * when that lacks something). A finished build is kept and reused: a pinned commit builds the same.
 */
final class ReferenceBuild {
    private ReferenceBuild() {
    }

    /** The jar of {@code commit}, building it first if no finished build is cached. */
    static Path jar(Path root, String commit, PrintStream log) {
        Path dir = root.resolve(".cache/ttft-gate").resolve(commit);
        Path jar = dir.resolve("benchmarks/target/benchmarks.jar");
        if (!Files.isRegularFile(jar)) {
            build(root, commit, dir, log);
        }
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            if (j.getEntry(GateTarget.class.getName().replace('.', '/') + ".class") == null) {
                throw new GateException(GateException.NO_VERDICT, "the reference commit " + commit.substring(0, 12)
                        + " predates the A/B gate (its build has no GateTarget): pin a newer one with "
                        + "bin/ttft-gate refresh --to REV --reason \"why\"");
            }
        } catch (IOException e) {
            throw new GateException(GateException.NO_VERDICT, jar + ": cannot read: " + e.getMessage());
        }
        return jar;
    }

    private static void build(Path root, String commit, Path dir, PrintStream log) {
        requireCommit(root, commit);
        Path tmp = dir.resolveSibling(commit + ".building-" + ProcessHandle.current().pid());
        long start = System.nanoTime();
        log.printf("reference: building %s in %s ...%n", commit.substring(0, 12), dir);
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            Path tar = tmp.resolve("source.tar");
            run(List.of("git", "-C", root.toString(), "archive", "--format=tar", "-o", tar.toString(), commit),
                    tmp, tmp.resolve("archive.log"), "git archive " + commit);
            run(List.of("tar", "-xf", tar.toString(), "-C", tmp.toString()), tmp, tmp.resolve("archive.log"),
                    "unpacking the reference's source");
            Files.delete(tar);
            Path buildLog = dir.resolveSibling(commit + ".build.log");
            Files.deleteIfExists(buildLog);
            List<String> mvn = List.of("mvn", "-q", "-B", "-ntp", "-pl", "benchmarks", "-am", "-DskipTests", "package");
            List<String> offline = new ArrayList<>(mvn);
            offline.add(1, "-o");
            if (exitCode(offline, tmp, buildLog) != 0) {
                log.println("reference: the offline build failed (the local Maven repository lacks something); "
                        + "trying online");
                if (exitCode(mvn, tmp, buildLog) != 0) {
                    throw new GateException(GateException.NO_VERDICT, "building the reference commit "
                            + commit.substring(0, 12) + " failed: " + lastLine(buildLog) + " (full log: "
                            + buildLog + "; offline, Maven needs every dependency in ~/.m2 already)");
                }
            }
            Files.createDirectories(dir.getParent());
            deleteTree(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new GateException(GateException.NO_VERDICT, "cannot build the reference in " + dir + ": " + e.getMessage());
        } finally {
            deleteTree(tmp);
        }
        log.printf("reference: built in %.0f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** A clear line when the clone lacks the commit: CI services clone shallow by default. */
    static void requireCommit(Path root, String commit) {
        List<String> probe = List.of("git", "-C", root.toString(), "cat-file", "-e", commit + "^{commit}");
        int code;
        try {
            code = exitCode(probe, root, null);
        } catch (IOException e) {
            throw new GateException(GateException.NO_VERDICT, "git is needed to build the reference commit: " + e.getMessage());
        }
        if (code != 0) {
            boolean shallow = Files.exists(root.resolve(".git/shallow"));
            throw new GateException(GateException.NO_VERDICT, "the reference commit " + commit.substring(0, 12)
                    + " (" + GateReference.FILE + ") is not in this clone" + (shallow ? ", a shallow one" : "")
                    + "; fetch it with: git fetch origin " + commit + (shallow ? " (or git fetch --unshallow)" : ""));
        }
    }

    /** The full SHA of {@code rev}; exit 3 when this clone has no such commit. */
    static String resolve(Path root, String rev) {
        try {
            Path out = Files.createTempFile("ttft-gate-rev", ".txt");
            int code = exitCode(List.of("git", "-C", root.toString(), "rev-parse", "--verify", "--quiet",
                    rev + "^{commit}"), root, out);
            String sha = Files.readString(out).strip();
            Files.delete(out);
            if (code != 0 || sha.isEmpty()) {
                throw new GateException(GateException.NO_VERDICT, "'" + rev + "' is not a commit of this clone"
                        + " (a shallow clone? fetch it first, e.g. git fetch origin " + rev + ")");
            }
            return sha;
        } catch (IOException e) {
            throw new GateException(GateException.NO_VERDICT, "git is needed: " + e.getMessage());
        }
    }

    /** Commits {@code file} alone with {@code message}. */
    static void commitFile(Path root, String file, String message) throws IOException {
        Path log = Files.createTempFile("ttft-gate-commit", ".log");
        int code = exitCode(List.of("git", "-C", root.toString(), "add", "--", file), root, log);
        if (code == 0) {
            code = exitCode(List.of("git", "-C", root.toString(), "commit", "-q", "-m", message, "--", file), root, log);
        }
        String last = lastLine(log);
        Files.delete(log);
        if (code != 0) {
            throw new GateException(GateException.REGRESSION, "git commit of " + file + " failed: " + last);
        }
    }

    private static void run(List<String> command, Path dir, Path log, String what) throws IOException {
        if (exitCode(command, dir, log) != 0) {
            throw new GateException(GateException.NO_VERDICT, what + " failed: " + lastLine(log));
        }
    }

    /** Runs a command to its end, its output appended to {@code log} (discarded when null). */
    static int exitCode(List<String> command, Path dir, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command));
        }
    }

    static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "(no output)" : lines.getLast().strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temp folder is harmless: the next build starts from a fresh one
        }
    }
}
