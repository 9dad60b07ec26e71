package dev.stepmem.bench.gate;

import dev.stepmem.bench.gate.GateCheck.Line;
import dev.stepmem.bench.gate.GateCheck.Outcome;
import dev.stepmem.bench.gate.GateCheck.Thresholds;
import dev.stepmem.bench.gate.GateCheck.Verdict;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report every check prints (Markdown, readable as plain text too). */
final class GateReport {
    private GateReport() {
    }

    /** Where the compared figures came from. */
    record Context(String deviceKey, String baselineFile, String baselineSource, String thisRun, String calibrationId,
                   int rounds, int forks, Thresholds thresholds, List<String> warnings, String refreshCommand) {
    }

    static String render(Outcome o, Map<String, GateMeasurement.Row> measured, Context c) {
        StringBuilder sb = new StringBuilder();
        String verdict = o.regression() ? "REGRESSION" : o.incomplete() ? "NO VERDICT (configurations without baseline)"
                : "PASS";
        sb.append("## TTFT regression gate: ").append(verdict).append("\n\n");
        for (String w : c.warnings()) {
            sb.append("**warning:** ").append(w).append("\n\n");
        }
        sb.append(String.format(Locale.ROOT, "Device key `%s`; baseline %s: %s.%nThis run: %s.%n", c.deviceKey(),
                c.baselineFile(), c.baselineSource(), c.thisRun()));
        sb.append(String.format(Locale.ROOT, "Normalized TTFT = TTFT / the calibration `%s` timed beside it, median of "
                + "%d rounds x %d fork(s). A configuration fails above %.2fx its baseline, the geometric mean above "
                + "%.2fx.%n%n", c.calibrationId(), c.rounds(), c.forks(), c.thresholds().config(), c.thresholds().geomean()));
        sb.append("| configuration | baseline | now | ratio | verdict | TTFT now (ms) | calibration (ms) | round spread |\n");
        sb.append("|---|---:|---:|---:|---|---:|---:|---:|\n");
        for (Line l : o.lines()) {
            GateMeasurement.Row m = measured.get(l.config());
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", l.config(),
                    fixed(l.baseline(), 3), fixed(l.now(), 3), ratio(l.ratio()), l.verdict().text,
                    m == null ? "" : fixed(m.ttftMedian(), 0), m == null ? "" : fixed(m.calibrationMedian(), 1),
                    m == null ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * m.roundSpread())));
        }
        sb.append(String.format(Locale.ROOT, "| **geometric mean** | | | %s | %s | | | |%n%n", ratio(o.geomean()),
                o.geomeanVerdict().text));
        if (o.regression()) {
            List<String> slow = o.lines().stream().filter(l -> l.verdict() == Verdict.REGRESSION)
                    .map(l -> l.config() + String.format(Locale.ROOT, " (%.2fx)", l.ratio())).toList();
            sb.append("TTFT regressed: ").append(slow.isEmpty() ? "no single configuration crossed "
                    + c.thresholds().config() + "x, but" : String.join(", ", slow) + ";").append(String.format(Locale.ROOT,
                    " geometric mean %.3fx.%n", o.geomean()));
            sb.append("If the slowdown is intended, refresh the baseline deliberately and commit it: ")
                    .append(c.refreshCommand()).append("\n");
        } else if (o.incomplete()) {
            sb.append("Some configurations have no baseline for device key `").append(c.deviceKey())
                    .append("`: measure them with ").append(c.refreshCommand()).append("\n");
        } else if (o.lines().stream().anyMatch(l -> l.verdict() == Verdict.FASTER)) {
            sb.append("Faster than the baseline: refresh it (").append(c.refreshCommand())
                    .append("), or a later slowdown back to the old speed goes unnoticed.\n");
        }
        return sb.toString();
    }

    private static String fixed(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "-";
    }

    private static String ratio(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3fx", v) : "-";
    }
}
