package dev.stepmem.bench.gate;

import dev.stepmem.results.Stats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one gate run measured: per configuration, the per-round figures and their medians.
 *
 * @param calibrationId the calibration workload that normalized them
 * @param rows          one per configuration, in the order given
 */
record GateMeasurement(String calibrationId, List<Row> rows) {

    /**
     * One configuration's figures over the rounds of a run.
     *
     * @param normalized    per round: TTFT / the mean of the two calibrations beside it
     * @param ttftMs        per round: TTFT in milliseconds
     * @param calibrationMs per round: the calibration time beside it
     */
    record Row(String config, double[] normalized, double[] ttftMs, double[] calibrationMs) {
        public double normalizedMedian() {
            return Stats.median(normalized);
        }

        public double ttftMedian() {
            return Stats.median(ttftMs);
        }

        public double calibrationMedian() {
            return Stats.median(calibrationMs);
        }

        /** (max - min) / median of the rounds' normalized figures: how much one round alone could be off. */
        public double roundSpread() {
            double min = Arrays.stream(normalized).min().orElseThrow(), max = Arrays.stream(normalized).max().orElseThrow();
            return (max - min) / normalizedMedian();
        }

        public int rounds() {
            return normalized.length;
        }
    }

    /** Rows from per-round (TTFT, calibration) pairs keyed by configuration id, in insertion order. */
    static GateMeasurement of(String calibrationId, Map<String, List<double[]>> rounds) {
        List<Row> rows = new ArrayList<>();
        rounds.forEach((config, pairs) -> {
            double[] ttft = pairs.stream().mapToDouble(p -> p[0]).toArray();
            double[] cal = pairs.stream().mapToDouble(p -> p[1]).toArray();
            double[] norm = new double[ttft.length];
            for (int i = 0; i < norm.length; i++) {
                norm[i] = ttft[i] / cal[i];
            }
            rows.add(new Row(config, norm, ttft, cal));
        });
        return new GateMeasurement(calibrationId, List.copyOf(rows));
    }

    Map<String, Row> byConfig() {
        Map<String, Row> m = new LinkedHashMap<>();
        rows.forEach(r -> m.put(r.config(), r));
        return m;
    }
}
