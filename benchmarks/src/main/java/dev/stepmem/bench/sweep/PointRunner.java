package dev.stepmem.bench.sweep;

import dev.stepmem.results.ResultRow;
import java.util.List;

/** Runs one sweep point and returns its rows (copies of the template with metrics and values). */
@FunctionalInterface
public interface PointRunner {
    List<ResultRow> run(SweepPoint point, ResultRow template);
}
