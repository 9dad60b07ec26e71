package dev.stepmem.bench.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateVerdictTest {
    private static final double NAN = Double.NaN;

    /** Invocations of one configuration with these {reference, candidate} TTFTs. */
    private static List<double[]> pairs(double... refCand) {
        List<double[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < refCand.length; i += 2) {
            rows.add(new double[] {refCand[i], refCand[i + 1], NAN});
        }
        return rows;
    }

    @Test
    void theRatioIsTheMedianOfThePairsRatiosAndTheGeomeanSpansTheJudgedRows() {
        Map<String, List<double[]>> t = new LinkedHashMap<>();
        t.put("a", pairs(100, 110, 200, 200, 100, 300)); // pair ratios 1.1, 1.0, 3.0: median 1.1
        t.put("b", pairs(100, 100, 100, 100, 100, 100));
        GateVerdict v = GateVerdict.of(List.of("a", "b"), t, 1);
        assertEquals(1.1, v.rows().get(0).ratio(), 1e-12);
        assertEquals(1.0, v.rows().get(0).lowRatio(), 1e-12);
        assertEquals(3.0, v.rows().get(0).highRatio(), 1e-12);
        assertEquals(Math.sqrt(1.1), v.geomean(), 1e-12);
        assertTrue(v.passed(), "geomean 1.049 and a largest ratio of 1.1 are within the limits");
    }

    @Test
    void passesWithinBothLimitsAndFailsPastEither() {
        Map<String, List<double[]>> within = Map.of("a", pairs(100, 105), "b", pairs(100, 104));
        assertTrue(GateVerdict.of(List.of("a", "b"), within, 1).passed());
        Map<String, List<double[]>> oneSlow = Map.of("a", pairs(100, 120), "b", pairs(100, 90));
        GateVerdict v = GateVerdict.of(List.of("a", "b"), oneSlow, 1);
        assertTrue(v.geomean() < GateVerdict.GEOMEAN_LIMIT);
        assertFalse(v.passed(), "one configuration past its limit fails the run");
        Map<String, List<double[]>> allSomewhatSlow = Map.of("a", pairs(100, 110), "b", pairs(100, 110));
        assertFalse(GateVerdict.of(List.of("a", "b"), allSomewhatSlow, 1).passed(), "geomean 1.10 > limit");
    }

    @Test
    void aConfigurationTheReferenceLacksIsReportedNotJudged() {
        Map<String, List<double[]>> t = Map.of("old", pairs(100, 101), "new", pairs(NAN, 500));
        GateVerdict v = GateVerdict.of(List.of("old", "new"), t, 1);
        assertFalse(v.rows().get(1).judged());
        assertEquals(1.01, v.geomean(), 1e-12);
        assertTrue(v.passed());
        assertTrue(v.table("t").contains("| new | - | 500.0 | - | - | not in the reference: not judged |"));
    }

    @Test
    void theSlowedColumnIsJudgedAgainstTheSameReference() {
        Map<String, List<double[]>> t = Map.of("a", List.of(new double[] {100, 101, 130}, new double[] {100, 99, 126}));
        assertTrue(GateVerdict.of(List.of("a"), t, 1).passed());
        GateVerdict slowed = GateVerdict.of(List.of("a"), t, 2);
        assertEquals(1.28, slowed.geomean(), 1e-12);
        assertFalse(slowed.passed());
    }

    @Test
    void missingMeasurementsStopWithTheirExitCodes() {
        GateException noCandidate = assertThrows(GateException.class,
                () -> GateVerdict.of(List.of("a"), Map.of(), 1));
        assertEquals(GateException.REGRESSION, noCandidate.exitCode);
        GateException noReference = assertThrows(GateException.class,
                () -> GateVerdict.of(List.of("a"), Map.of("a", pairs(NAN, 100)), 1));
        assertEquals(GateException.NO_VERDICT, noReference.exitCode);
    }
}
