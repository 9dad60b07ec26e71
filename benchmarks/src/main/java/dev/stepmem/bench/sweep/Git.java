package dev.stepmem.bench.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The working tree's commit, for the rows' {@code git_commit} ("unknown" outside a git checkout). */
public final class Git {
    private Git() {
    }

    public static String shortCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            boolean dirty = new ProcessBuilder("git", "diff", "--quiet", "HEAD").start().waitFor() != 0;
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out + (dirty ? "-dirty" : "") : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
