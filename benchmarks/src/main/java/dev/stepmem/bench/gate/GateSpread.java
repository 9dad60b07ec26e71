package dev.stepmem.bench.gate;

import dev.stepmem.results.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Run-to-run spread from the record of gate runs: per configuration, the ratios to the baseline
 * that unchanged code produced, and per run its largest ratio and geometric mean. The thresholds
 * are set above the largest of these, with margin (docs/ttft-gate.md).
 */
final class GateSpread {
    private GateSpread() {
    }

    /** The summary table of the runs of one device key (runs with the test-only slowdown left out). */
    static String summarize(List<GateRunsCsv.Row> rows, String deviceKey, String note) {
        List<GateRunsCsv.Row> mine = rows.stream().filter(r -> r.deviceKey().equals(deviceKey) && r.testSlowdown() == 0
                && Double.isFinite(r.ratio()) && (note == null || r.note().startsWith(note))).toList();
        if (mine.isEmpty()) {
            throw new GateException("no recorded runs of device key '" + deviceKey + "'"
                    + (note == null ? "" : " with a note starting '" + note + "'") + " (record some with check --record FILE)");
        }
        Map<String, List<Double>> byConfig = new LinkedHashMap<>();
        Map<String, List<GateRunsCsv.Row>> byRun = new LinkedHashMap<>();
        for (GateRunsCsv.Row r : mine) {
            byConfig.computeIfAbsent(r.config(), k -> new ArrayList<>()).add(r.ratio());
            byRun.computeIfAbsent(r.run(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d runs of device key `%s`; ratio = normalized TTFT / baseline.%n%n",
                byRun.size(), deviceKey));
        sb.append("| configuration | runs | min ratio | median | max ratio | max deviation |\n|---|---:|---:|---:|---:|---:|\n");
        double worst = 0;
        for (var e : byConfig.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            double min = java.util.Arrays.stream(v).min().orElseThrow(), max = java.util.Arrays.stream(v).max().orElseThrow();
            double dev = Math.max(max - 1, 1 - min);
            worst = Math.max(worst, dev);
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.1f%% |%n", e.getKey(), v.length, min,
                    Stats.median(v), max, 100 * dev));
        }
        double[] maxes = byRun.values().stream().mapToDouble(r -> r.stream().mapToDouble(GateRunsCsv.Row::ratio).max()
                .orElseThrow()).toArray();
        double[] geo = byRun.values().stream().mapToDouble(r -> r.getFirst().geomean()).toArray();
        sb.append(String.format(Locale.ROOT, "%nPer run: largest configuration ratio %.3f..%.3f (median %.3f); "
                        + "geometric mean %.3f..%.3f (median %.3f).%nLargest deviation of any configuration from its "
                        + "baseline: %.1f%%.%n", java.util.Arrays.stream(maxes).min().orElseThrow(),
                java.util.Arrays.stream(maxes).max().orElseThrow(), Stats.median(maxes),
                java.util.Arrays.stream(geo).min().orElseThrow(), java.util.Arrays.stream(geo).max().orElseThrow(),
                Stats.median(geo), 100 * worst));
        sb.append("\n| run | note | outcome | max ratio | geometric mean |\n|---|---|---|---:|---:|\n");
        for (var e : byRun.entrySet()) {
            GateRunsCsv.Row first = e.getValue().getFirst();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f |%n", e.getKey(), first.note(),
                    first.outcome(), e.getValue().stream().mapToDouble(GateRunsCsv.Row::ratio).max().orElseThrow(),
                    first.geomean()));
        }
        return sb.toString();
    }
}
