package dev.stepmem.bench.gate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's table and its advice, on fixed numbers. */
class GateReportTest {
    private static final GateCheck.Thresholds T = new GateCheck.Thresholds(1.15, 1.08);

    private static String render(Map<String, Double> base, Map<String, Double> now) {
        Map<String, GateMeasurement.Row> measured = new LinkedHashMap<>();
        now.forEach((id, v) -> measured.put(id, new GateMeasurement.Row(id, new double[] {v, v * 1.1, v * 0.9},
                new double[] {800, 810, 790}, new double[] {50, 50, 50})));
        return GateReport.render(GateCheck.compare(base, now, T), measured, new GateReport.Context("cpu",
                "results/ttft-baseline.csv", "then", "now", CpuCalibration.ID, 3, 1, T, List.of(), "bin/ttft-gate refresh"));
    }

    @Test
    void aPassingRunShowsEveryConfigurationWithBaselineNowRatioAndVerdict() {
        String r = render(Map.of("fm/x", 10.0), Map.of("fm/x", 10.5));
        assertTrue(r.startsWith("## TTFT regression gate: PASS"), r);
        assertTrue(r.contains("| configuration | baseline | now | ratio | verdict |"), r);
        assertTrue(r.contains("| fm/x | 10.000 | 10.500 | 1.050x | pass | 800 | 50.0 | 20% |"), r);
        assertTrue(r.contains("| **geometric mean** | | | 1.050x | pass |"), r);
    }

    @Test
    void aRegressionNamesTheConfigurationAndTheRefreshCommand() {
        String r = render(Map.of("fm/x", 10.0, "fm/y", 10.0), new LinkedHashMap<>(Map.of("fm/x", 13.0, "fm/y", 10.0)));
        assertTrue(r.startsWith("## TTFT regression gate: REGRESSION"), r);
        assertTrue(r.contains("| fm/x | 10.000 | 13.000 | 1.300x | REGRESSION |"), r);
        assertTrue(r.contains("TTFT regressed: fm/x (1.30x);"), r);
        assertTrue(r.contains("refresh the baseline deliberately and commit it: bin/ttft-gate refresh"), r);
    }
}
