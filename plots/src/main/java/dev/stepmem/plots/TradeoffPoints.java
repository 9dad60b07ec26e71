package dev.stepmem.plots;

import static dev.stepmem.plots.ReportData.fmt;

import dev.stepmem.results.ResultRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * The compressor trade-off's points, joined from a compressors sweep: per compressor and method,
 * the perplexity of the final chunk (measured, stories15M) beside TTFT and peak memory, measured on
 * the CPU and modeled on a GPU profile; and which points are Pareto-optimal (no other point is at
 * least as good on both axes and better on one; lower is better on both).
 */
final class TradeoffPoints {
    static final String SWEEP = "compressors";
    private static final List<String> METHODS = List.of("fm", "im", "imdc");

    /**
     * @param source "measured" or "modeled" (its device, e.g. a800-80gb, in {@code device})
     */
    record Point(String compressor, String attention, String method, String source, String device, double ppl,
                 double ttftMs, double ttftSpreadMs, double peakBytes) {
        String label() {
            return compressor + " " + method.toUpperCase(Locale.ROOT);
        }
    }

    private TradeoffPoints() {
    }

    /** Every (compressor, method, source/device) with a TTFT, a peak and a perplexity, in a stable order. */
    static List<Point> all(List<ResultRow> rows) {
        List<ResultRow> mine = rows.stream().filter(r -> r.sweep().startsWith(SWEEP) && r.status().equals("ok")
                && METHODS.contains(r.method())).toList();
        List<Point> points = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>();
        for (ResultRow r : mine) {
            if (r.metric().equals("ttft_ms")) {
                keys.add(r.source() + "|" + r.device() + "|" + r.compressor() + "|" + r.method() + "|" + r.attention());
            }
        }
        for (String key : keys) {
            String[] k = key.split("\\|");
            OptionalDouble ppl = value(mine, "measured", null, k[2], k[3], "ppl");
            OptionalDouble ttft = value(mine, k[0], k[1], k[2], k[3], "ttft_ms");
            double spread = mine.stream().filter(r -> r.source().equals(k[0]) && r.device().equals(k[1])
                    && r.compressor().equals(k[2]) && r.method().equals(k[3]) && r.metric().equals("ttft_ms"))
                    .mapToDouble(ResultRow::spread).findFirst().orElse(Double.NaN);
            OptionalDouble peak = value(mine, k[0], k[1], k[2], k[3], "peak_bytes");
            if (ppl.isPresent() && ttft.isPresent() && peak.isPresent()) {
                points.add(new Point(k[2], k[4], k[3], k[0], k[1], ppl.getAsDouble(), ttft.getAsDouble(), spread,
                        peak.getAsDouble()));
            }
        }
        points.sort(Comparator.comparing(Point::source).thenComparing(Point::device).thenComparing(Point::compressor)
                .thenComparing(p -> METHODS.indexOf(p.method())));
        return points;
    }

    /** Full attention's perplexity on the same documents, if the sweep ran it. */
    static OptionalDouble fullAttentionPpl(List<ResultRow> rows) {
        return rows.stream().filter(r -> r.sweep().startsWith(SWEEP) && r.metric().equals("ppl")
                && r.method().equals("full") && r.status().equals("ok")).mapToDouble(ResultRow::value).findFirst();
    }

    private static OptionalDouble value(List<ResultRow> rows, String source, String device, String compressor,
                                        String method, String metric) {
        return rows.stream().filter(r -> r.source().equals(source) && (device == null || r.device().equals(device))
                && r.compressor().equals(compressor) && r.method().equals(method) && r.metric().equals(metric)
                && !Double.isNaN(r.value())).mapToDouble(ResultRow::value).findFirst();
    }

    /** The points no other point of the list dominates on (perplexity, cost), by ascending perplexity. */
    static List<Point> paretoFront(List<Point> points, java.util.function.ToDoubleFunction<Point> cost) {
        List<Point> front = new ArrayList<>();
        for (Point p : points) {
            boolean dominated = false;
            for (Point q : points) {
                double qc = cost.applyAsDouble(q), pc = cost.applyAsDouble(p);
                if (q.ppl() <= p.ppl() && qc <= pc && (q.ppl() < p.ppl() || qc < pc)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(p);
            }
        }
        front.sort(Comparator.comparingDouble(Point::ppl).thenComparingDouble(cost::applyAsDouble));
        return front;
    }

    /** The report's table: one row per compressor and method, measured and modeled side by side, front marked. */
    static String table(List<ResultRow> rows) {
        List<Point> points = all(rows);
        List<Point> measured = points.stream().filter(p -> p.source().equals("measured")).toList();
        List<Point> modeled = points.stream().filter(p -> p.source().equals("modeled")).toList();
        if (measured.isEmpty()) {
            return "";
        }
        List<Point> timeFront = paretoFront(measured, Point::ttftMs), memoryFront = paretoFront(measured, Point::peakBytes);
        StringBuilder md = new StringBuilder("| compressor | attention | method | PPL | TTFT ms (CPU; max - min) | peak MiB (CPU) | "
                + "Pareto (PPL, TTFT / peak) | TTFT s (modeled) | peak GiB (modeled) |\n"
                + "|---|---|---|---:|---:|---:|---|---:|---:|\n");
        for (Point p : measured) {
            Point m = modeled.stream().filter(x -> x.compressor().equals(p.compressor()) && x.method().equals(p.method()))
                    .findFirst().orElse(null);
            String front = (timeFront.contains(p) ? "TTFT" : "") + (timeFront.contains(p) && memoryFront.contains(p)
                    ? ", " : "") + (memoryFront.contains(p) ? "peak" : "");
            md.append("| ").append(p.compressor()).append(" | ").append(p.attention()).append(" | ")
                    .append(p.method().toUpperCase(Locale.ROOT))
                    .append(" | ").append(fmt(p.ppl(), "%.1f")).append(" | ").append(fmt(p.ttftMs(), "%.0f")).append(" (").append(fmt(p.ttftSpreadMs(), "%.0f")).append(")")
                    .append(" | ").append(fmt(p.peakBytes() / 0x1p20, "%.1f")).append(" | ")
                    .append(front.isEmpty() ? "-" : front).append(" | ")
                    .append(m == null ? "-" : fmt(m.ttftMs() / 1e3, "%.2f")).append(" | ")
                    .append(m == null ? "-" : fmt(m.peakBytes() / 0x1p30, "%.1f")).append(" |\n");
        }
        OptionalDouble full = fullAttentionPpl(rows);
        md.append("\nPareto front (PPL vs measured TTFT): ").append(names(timeFront)).append(".\n")
                .append("Pareto front (PPL vs measured peak memory): ").append(names(memoryFront)).append(".\n");
        if (full.isPresent()) {
            md.append("Full attention on the same documents: PPL ").append(fmt(full.getAsDouble(), "%.1f")).append(".\n");
        }
        return md.toString();
    }

    private static String names(List<Point> front) {
        return String.join(", ", front.stream().map(Point::label).toList());
    }
}
