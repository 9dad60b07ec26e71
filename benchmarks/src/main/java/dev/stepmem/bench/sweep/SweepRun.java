package dev.stepmem.bench.sweep;

import dev.stepmem.results.ResultRow;
import dev.stepmem.results.ResultsCsv;
import dev.stepmem.results.ResultsLock;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a list of points into a results file, one point at a time, each point's rows appended
 * atomically (see {@link ResultsCsv}): a killed sweep loses at most the point it was running, and
 * a resumed one skips every point whose run key is already in the file.
 *
 * @param file      the results CSV
 * @param runner    what runs a point
 * @param templates the row template of a point (git commit, machine and time filled in)
 * @param log       progress lines
 */
public record SweepRun(Path file, PointRunner runner, Function<SweepPoint, ResultRow> templates, Consumer<String> log) {

    /** How to treat rows the file already has for these sweeps. */
    public enum Existing {
        /** refuse to start (the default: never mix two runs of a sweep by accident) */
        REFUSE,
        /** keep them and run only the points they lack */
        RESUME,
        /** delete them first */
        REPLACE
    }

    private static String part(String sweep, String source) {
        return sweep + "|" + source;
    }

    /**
     * Runs the points while holding the file's {@link ResultsLock} for the whole sweep: a second
     * sweep on the same file is refused at once, naming this one, instead of interleaving its
     * read-modify-write appends with ours (which lost or doubled rows).
     *
     * @return how many points ran (the rest were already in the file)
     */
    public int run(List<SweepPoint> points, Existing existing) {
        try (ResultsLock lock = ResultsLock.acquire(file, Duration.ZERO, "sweep of " + points.size() + " points")) {
            return runLocked(points, existing);
        }
    }

    private int runLocked(List<SweepPoint> points, Existing existing) {
        Set<String> sweeps = new java.util.TreeSet<>(), parts = new java.util.HashSet<>();
        points.forEach(p -> {
            sweeps.add(p.sweep());
            parts.add(part(p.sweep(), p.kind() == SweepPoint.Kind.MODELED ? "modeled" : "measured"));
        });
        List<ResultRow> have = ResultsCsv.read(file);
        // a run of only the modeled points owns only the modeled rows of its sweeps
        List<ResultRow> mine = have.stream().filter(r -> parts.contains(part(r.sweep(), r.source()))).toList();
        if (!mine.isEmpty() && existing == Existing.REFUSE) {
            throw new IllegalArgumentException(file + " already has " + mine.size() + " rows of " + sweeps
                    + ": --resume to finish that run, or --replace to start it again");
        }
        if (existing == Existing.REPLACE && !mine.isEmpty()) {
            List<ResultRow> others = new ArrayList<>(have);
            others.removeAll(mine);
            ResultsCsv.write(file, others);
            log.accept("removed " + mine.size() + " earlier rows of " + sweeps + " from " + file);
        }
        Set<String> done = existing == Existing.RESUME ? ResultsCsv.runKeys(file) : Set.of();
        int ran = 0, skipped = 0;
        long start = System.nanoTime();
        for (int i = 0; i < points.size(); i++) {
            SweepPoint p = points.get(i);
            ResultRow template = templates.apply(p);
            if (done.contains(template.runKey())) {
                skipped++;
                continue;
            }
            List<ResultRow> rows = runner.run(p, template);
            ResultsCsv.append(file, rows);
            ran++;
            double elapsed = (System.nanoTime() - start) / 1e9;
            int left = points.size() - i - 1;
            log.accept(String.format(java.util.Locale.ROOT, "[%d/%d] %s (%.0f s, about %.0f s left)", i + 1,
                    points.size(), p, elapsed, left * elapsed / ran));
        }
        if (skipped > 0) {
            log.accept("resumed: " + skipped + " of " + points.size() + " points were already in " + file);
        }
        return ran;
    }
}
