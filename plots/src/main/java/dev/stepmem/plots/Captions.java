package dev.stepmem.plots;

import dev.stepmem.results.ResultRow;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The pieces every renderer shares: its sweep's rows, the metrics it needs, the caption's context. */
final class Captions {
    /** The incremental functions in the order the paper lists them; others follow alphabetically. */
    static final List<String> FUNCTIONS = List.of("linear", "square", "sqrt", "inverse_convex", "inverse_concave",
            "square_sqrt", "double_inverse", "adaptive", "fixed_incremental");

    private Captions() {
    }

    /**
     * The rows of sweeps starting with {@code prefix} whose metric is one of {@code metrics}; every
     * metric must have at least one row, else the exception names the figure and what is missing.
     */
    static List<ResultRow> require(List<ResultRow> rows, String figure, String prefix, String... metrics) {
        List<ResultRow> mine = rows.stream().filter(r -> r.sweep().startsWith(prefix)
                && Set.of(metrics).contains(r.metric())).toList();
        List<String> missing = java.util.Arrays.stream(metrics)
                .filter(m -> mine.stream().noneMatch(r -> r.metric().equals(m))).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(figure + ": no rows with metric " + String.join(", ", missing)
                    + " in sweeps " + prefix + "* of the results");
        }
        return mine;
    }

    /** The distinct non-empty values of a field, sorted, comma-separated ("-" when none). */
    static String distinct(List<ResultRow> rows, Function<ResultRow, String> field) {
        String s = rows.stream().map(field).filter(v -> !v.isEmpty()).distinct().sorted()
                .collect(Collectors.joining(", "));
        return s.isEmpty() ? "-" : s;
    }

    /** Model, device(s), data, scale (sweep) and source: the sentence every caption ends with. */
    static String context(List<ResultRow> rows) {
        return "Model " + distinct(rows, ResultRow::model) + " (" + distinct(rows, ResultRow::weights) + " "
                + distinct(rows, ResultRow::dtype) + "); device " + distinct(rows, ResultRow::device) + "; data "
                + distinct(rows, ResultRow::domain) + "; sweep " + distinct(rows, ResultRow::sweep) + "; "
                + distinct(rows, ResultRow::source) + (rows.stream().anyMatch(r -> r.source().equals("modeled"))
                        ? " (modeled = the sim backend with a GPU profile, not a measurement)." : ".");
    }

    /** Functions in the paper's order, then any others alphabetically. */
    static Comparator<String> functionOrder() {
        return Comparator.<String>comparingInt(f -> FUNCTIONS.contains(f) ? FUNCTIONS.indexOf(f) : FUNCTIONS.size())
                .thenComparing(Comparator.naturalOrder());
    }
}
