package dev.stepmem.plots;

import dev.stepmem.results.ResultRow;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Look-ups the report's tables and findings share: a sweep's rows, one value, groups, number formats. */
final class ReportData {
    private ReportData() {
    }

    /** Rows of sweeps starting with prefix and of this metric. */
    static List<ResultRow> rows(List<ResultRow> all, String prefix, String metric) {
        return all.stream().filter(r -> r.sweep().startsWith(prefix) && r.metric().equals(metric)).toList();
    }

    /** The value of the first ok row of this method in the group, if any. */
    static OptionalDouble value(List<ResultRow> group, String method) {
        return first(group, r -> r.method().equals(method) && r.status().equals("ok") && !Double.isNaN(r.value()))
                .map(r -> OptionalDouble.of(r.value())).orElse(OptionalDouble.empty());
    }

    static java.util.Optional<ResultRow> first(List<ResultRow> group, Predicate<ResultRow> p) {
        return group.stream().filter(p).findFirst();
    }

    /** Groups in a stable order (sorted keys), so the report is a pure function of the rows. */
    static Map<String, List<ResultRow>> group(List<ResultRow> rows, Function<ResultRow, String> key) {
        return rows.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.toList()));
    }

    /** The panel a Fig 4-like row belongs to: source, device (and implementation), model, compressor (attention), L, c. */
    static String panel(ResultRow r) {
        String impl = implementation(r);
        return r.source() + ": " + r.model() + " on " + r.device() + (impl.isEmpty() ? "" : " as " + impl + " runs it")
                + ", " + r.compressor() + " (" + r.attention() + "), L = " + r.length() + ", c = " + r.chunk();
    }

    /** A modeled row's implementation profile (backend "sim:NAME"); "" for other rows. */
    static String implementation(ResultRow r) {
        return r.backend().startsWith("sim:") ? r.backend().substring("sim:".length()) : "";
    }

    static String fmt(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    static String fmt(OptionalDouble v, String format) {
        return v.isPresent() ? fmt(v.getAsDouble(), format) : "-";
    }

    /** a / b as "1.23x", or "-" when either is absent. */
    static String ratio(OptionalDouble a, OptionalDouble b) {
        return a.isPresent() && b.isPresent() ? fmt(a.getAsDouble() / b.getAsDouble(), "%.2fx") : "-";
    }

    /** (x - base) / base as "+1.2%", or "-". */
    static String change(OptionalDouble x, OptionalDouble base) {
        return x.isPresent() && base.isPresent() ? fmt(100 * (x.getAsDouble() / base.getAsDouble() - 1), "%+.1f%%")
                : "-";
    }

    /** The share a value saves against a base, "12.3%", or "-". */
    static String saving(OptionalDouble x, OptionalDouble base) {
        return x.isPresent() && base.isPresent() ? fmt(100 * (1 - x.getAsDouble() / base.getAsDouble()), "%.1f%%")
                : "-";
    }

    /** min-max of a list of numbers as "a to b", with a format. */
    static String range(List<Double> xs, String format) {
        if (xs.isEmpty()) {
            return "-";
        }
        double lo = xs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double hi = xs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return lo == hi ? fmt(lo, format) : fmt(lo, format) + " to " + fmt(hi, format);
    }
}
