package dev.stepmem.bench.gate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The verdict, as pure functions of the figures: each configuration's ratio now / baseline of its
 * normalized TTFT against a per-configuration threshold, and the geometric mean of the ratios
 * against a tighter one (a slowdown spread thinly over every configuration moves the mean even
 * when no single configuration crosses its threshold, and the mean's noise is smaller).
 */
final class GateCheck {
    private GateCheck() {
    }

    /** Ratios above these fail; both must be above 1. */
    record Thresholds(double config, double geomean) {
        Thresholds {
            if (!(config > 1) || !(geomean > 1)) {
                throw new IllegalArgumentException("thresholds are ratios above 1 (e.g. 1.15), got " + config + " and "
                        + geomean);
            }
        }
    }

    enum Verdict {
        PASS("pass"),
        /** Faster than the baseline by more than the threshold: passes, but the baseline is stale. */
        FASTER("pass (faster: refresh the baseline)"),
        REGRESSION("REGRESSION"),
        /** Measured, but the baseline has no row for it: the gate cannot check it. */
        NO_BASELINE("NO BASELINE"),
        /** In the baseline, not measured in this run (a subset was asked for): not checked. */
        NOT_MEASURED("not measured");

        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    /** One configuration: NaN where a side is missing. */
    record Line(String config, double baseline, double now, double ratio, Verdict verdict) {
    }

    /**
     * @param geomean the geometric mean of the ratios of the configurations with both sides (NaN if none)
     */
    record Outcome(List<Line> lines, double geomean, Verdict geomeanVerdict) {
        boolean regression() {
            return geomeanVerdict == Verdict.REGRESSION || lines.stream().anyMatch(l -> l.verdict() == Verdict.REGRESSION);
        }

        /** Some measured configuration has no baseline: the gate cannot vouch for it. */
        boolean incomplete() {
            return lines.stream().anyMatch(l -> l.verdict() == Verdict.NO_BASELINE);
        }

        /** 0 pass, 1 regression, 3 no verdict possible (a configuration without baseline). */
        int exitCode() {
            return regression() ? 1 : incomplete() ? 3 : 0;
        }

        double maxRatio() {
            return lines.stream().mapToDouble(Line::ratio).filter(Double::isFinite).max().orElse(Double.NaN);
        }
    }

    /**
     * Compares normalized figures by configuration id: the measured ones first (in their order),
     * then baseline configurations this run did not measure.
     */
    static Outcome compare(Map<String, Double> baseline, Map<String, Double> now, Thresholds t) {
        Set<String> ids = new LinkedHashSet<>(now.keySet());
        ids.addAll(baseline.keySet());
        List<Line> lines = new ArrayList<>();
        double logSum = 0;
        int n = 0;
        for (String id : ids) {
            Double b = baseline.get(id), m = now.get(id);
            if (m == null) {
                lines.add(new Line(id, b, Double.NaN, Double.NaN, Verdict.NOT_MEASURED));
            } else if (b == null) {
                lines.add(new Line(id, Double.NaN, m, Double.NaN, Verdict.NO_BASELINE));
            } else {
                double ratio = m / b;
                lines.add(new Line(id, b, m, ratio, verdict(ratio, t.config())));
                logSum += Math.log(ratio);
                n++;
            }
        }
        double geomean = n == 0 ? Double.NaN : Math.exp(logSum / n);
        return new Outcome(List.copyOf(lines), geomean, n == 0 ? Verdict.NO_BASELINE : verdict(geomean, t.geomean()));
    }

    static Verdict verdict(double ratio, double threshold) {
        return ratio > threshold ? Verdict.REGRESSION : ratio < 1 / threshold ? Verdict.FASTER : Verdict.PASS;
    }
}
