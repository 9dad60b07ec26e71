package dev.stepmem.bench.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceBuildTest {
    private static void git(Path dir, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t",
                "-c", "protocol.file.allow=always"));
        cmd.addAll(List.of(args));
        assertEquals(0, ReferenceBuild.exitCode(cmd, dir, null), String.join(" ", cmd));
    }

    /** A repository of two commits; returns the first one's SHA. */
    private static String twoCommits(Path repo) throws IOException {
        Files.createDirectories(repo);
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("a.txt"), "one");
        git(repo, "add", "a.txt");
        git(repo, "commit", "-q", "-m", "one");
        Path sha = repo.resolve("sha.txt");
        ReferenceBuild.exitCode(List.of("git", "rev-parse", "HEAD"), repo, sha);
        String first = Files.readString(sha).strip();
        Files.delete(sha);
        Files.writeString(repo.resolve("a.txt"), "two");
        git(repo, "commit", "-q", "-am", "two");
        return first;
    }

    @Test
    void aShallowCloneWithoutTheReferenceGetsTheFetchCommand(@TempDir Path tmp) throws IOException {
        String first = twoCommits(tmp.resolve("origin"));
        git(tmp, "clone", "-q", "--depth", "1", "file://" + tmp.resolve("origin"), "shallow");
        Path shallow = tmp.resolve("shallow");
        GateException e = assertThrows(GateException.class, () -> ReferenceBuild.requireCommit(shallow, first));
        assertEquals(GateException.NO_VERDICT, e.exitCode);
        assertEquals("the reference commit " + first.substring(0, 12) + " (benchmarks/ttft-gate-reference) is not "
                + "in this clone, a shallow one; fetch it with: git fetch origin " + first
                + " (or git fetch --unshallow)", e.getMessage());
        git(shallow, "fetch", "-q", "origin", first);
        ReferenceBuild.requireCommit(shallow, first); // now present: no exception
    }

    @Test
    void aFullCloneHasTheReference(@TempDir Path tmp) throws IOException {
        String first = twoCommits(tmp.resolve("repo"));
        ReferenceBuild.requireCommit(tmp.resolve("repo"), first);
        GateException e = assertThrows(GateException.class,
                () -> ReferenceBuild.requireCommit(tmp.resolve("repo"), "f".repeat(40)));
        assertTrue(e.getMessage().endsWith("is not in this clone; fetch it with: git fetch origin " + "f".repeat(40)),
                e.getMessage());
    }
}
