package dev.stepmem.assets;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line byte counter on stderr. On a terminal it redraws in place; otherwise (CI logs) it
 * prints a line every quarter so logs stay short.
 */
final class Progress {
    private final PrintStream out;
    private final String task;
    private final long total;
    private final boolean live;
    private long lastDraw;
    private int lastQuarter = -1;

    Progress(PrintStream out, String task, long total) {
        this.out = out;
        this.task = task;
        this.total = Math.max(1, total);
        this.live = System.console() != null && out == System.err;
    }

    /** A progress that prints nothing (tests). */
    static Progress silent() {
        return new Progress(null, "", 1);
    }

    void update(long done) {
        if (out == null) {
            return;
        }
        int pct = (int) Math.min(100, done * 100 / total);
        if (live) {
            long now = System.nanoTime();
            if (now - lastDraw > 200_000_000L || done >= total) {
                lastDraw = now;
                out.printf(Locale.ROOT, "\r%s: %3d%% (%s / %s)", task, pct, size(done), size(total));
                out.flush();
            }
        } else if (pct / 25 > lastQuarter) {
            lastQuarter = pct / 25;
            out.printf(Locale.ROOT, "%s: %d%% (%s / %s)%n", task, pct, size(done), size(total));
        }
    }

    private static String size(long bytes) {
        return bytes < 1_000_000 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    void done() {
        if (out != null && live) {
            out.println();
        }
    }
}
