package dev.stepmem.bench.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.bench.gate.GateCheck.Outcome;
import dev.stepmem.bench.gate.GateCheck.Thresholds;
import dev.stepmem.bench.gate.GateCheck.Verdict;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict on fixed numbers. */
class GateCheckTest {
    private static final Thresholds T = new Thresholds(1.15, 1.08);

    private static Map<String, Double> figures(Object... idValue) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < idValue.length; i += 2) {
            m.put((String) idValue[i], ((Number) idValue[i + 1]).doubleValue());
        }
        return m;
    }

    private static Verdict verdictOf(Outcome o, String id) {
        return o.lines().stream().filter(l -> l.config().equals(id)).findFirst().orElseThrow().verdict();
    }

    @Test
    void aConfigurationAboveItsThresholdIsARegression() {
        Outcome o = GateCheck.compare(figures("a", 10, "b", 20), figures("a", 12, "b", 20.2), T);
        assertEquals(Verdict.REGRESSION, verdictOf(o, "a"));
        assertEquals(Verdict.PASS, verdictOf(o, "b"));
        assertEquals(1.2, o.lines().getFirst().ratio(), 1e-12);
        assertTrue(o.regression());
        assertEquals(1, o.exitCode());
    }

    @Test
    void ratiosWithinTheThresholdsPass() {
        Outcome o = GateCheck.compare(figures("a", 10, "b", 20), figures("a", 11, "b", 21), T);
        assertEquals(Verdict.PASS, verdictOf(o, "a"));
        assertEquals(Verdict.PASS, verdictOf(o, "b"));
        assertEquals(Math.sqrt(1.1 * 1.05), o.geomean(), 1e-12);
        assertEquals(Verdict.PASS, o.geomeanVerdict());
        assertFalse(o.regression());
        assertEquals(0, o.exitCode());
    }

    @Test
    void aSlowdownSpreadOverEveryConfigurationFailsOnTheGeometricMean() {
        Outcome o = GateCheck.compare(figures("a", 10, "b", 20, "c", 5), figures("a", 11, "b", 22, "c", 5.5), T);
        assertTrue(o.lines().stream().allMatch(l -> l.verdict() == Verdict.PASS), "1.10 < 1.15 for each");
        assertEquals(Verdict.REGRESSION, o.geomeanVerdict());
        assertEquals(1, o.exitCode());
    }

    @Test
    void justAtTheThresholdPassesAndJustAboveFails() {
        assertEquals(Verdict.PASS, GateCheck.verdict(1.15, 1.15));
        assertEquals(Verdict.REGRESSION, GateCheck.verdict(1.1501, 1.15));
    }

    @Test
    void aMeasuredConfigurationMissingFromTheBaselineGivesNoVerdict() {
        Outcome o = GateCheck.compare(figures("a", 10), figures("a", 10.1, "new", 7), T);
        assertEquals(Verdict.NO_BASELINE, verdictOf(o, "new"));
        assertTrue(Double.isNaN(o.lines().get(1).ratio()));
        assertEquals(1.01, o.geomean(), 1e-12, "the geometric mean covers the configurations with both sides");
        assertTrue(o.incomplete());
        assertEquals(3, o.exitCode());
    }

    @Test
    void aRegressionOutranksAMissingBaseline() {
        Outcome o = GateCheck.compare(figures("a", 10), figures("a", 13, "new", 7), T);
        assertEquals(1, o.exitCode());
    }

    @Test
    void aBaselineConfigurationNotMeasuredIsListedButNotChecked() {
        Outcome o = GateCheck.compare(figures("a", 10, "b", 20), figures("a", 10.2), T);
        assertEquals(Verdict.NOT_MEASURED, verdictOf(o, "b"));
        assertEquals(1.02, o.geomean(), 1e-12);
        assertEquals(0, o.exitCode());
    }

    @Test
    void nothingInCommonGivesNoVerdict() {
        Outcome o = GateCheck.compare(figures("a", 10), figures("b", 10), T);
        assertTrue(Double.isNaN(o.geomean()));
        assertEquals(Verdict.NO_BASELINE, o.geomeanVerdict());
        assertEquals(3, o.exitCode());
    }

    @Test
    void muchFasterPassesAndAsksForARefresh() {
        Outcome o = GateCheck.compare(figures("a", 10), figures("a", 8), T);
        assertEquals(Verdict.FASTER, verdictOf(o, "a"));
        assertEquals(0, o.exitCode());
    }

    @Test
    void thresholdsMustBeRatiosAboveOne() {
        assertThrows(IllegalArgumentException.class, () -> new Thresholds(1.0, 1.05));
        assertThrows(IllegalArgumentException.class, () -> new Thresholds(1.2, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new Thresholds(Double.NaN, 1.1));
    }
}
