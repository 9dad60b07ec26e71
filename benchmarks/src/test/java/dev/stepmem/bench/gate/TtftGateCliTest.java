package dev.stepmem.bench.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's answers that need no measurement: help, usage errors, and no baseline to compare with. */
class TtftGateCliTest {
    @TempDir
    Path dir;

    /** Exit code, stdout, stderr. */
    record Run(int code, String out, String err) {
    }

    static Run gate(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = TtftGate.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommandsAndExitCodesAndHidesTheTestOnlyFlag() {
        Run r = gate("--help");
        assertEquals(0, r.code());
        for (String s : List.of("check", "refresh", "spread", "Exit codes: 0 pass; 1 regression")) {
            assertTrue(r.out().contains(s), s + " in:\n" + r.out());
        }
        Run check = gate("check", "--help");
        assertTrue(check.out().contains("--threshold=RATIO"), check.out());
        assertFalse(check.out().contains("test-only"), "the slowdown switch is not advertised");
    }

    @Test
    void withoutABaselineFileTheMessageNamesItAndTheRefreshCommand() {
        Path f = dir.resolve("none.csv");
        Run r = gate("--baseline", f.toString()); // no command: check
        assertEquals(3, r.code());
        assertTrue(r.err().contains("error: no baseline file " + f + ": measure one on this machine with: "
                + "bin/ttft-gate refresh --baseline " + f), r.err());
    }

    @Test
    void aBaselineOfOtherDevicesOnlyNamesTheKeysItHas() {
        Path f = dir.resolve("b.csv");
        BaselineCsv.write(f, List.of(BaselineCsvTest.row("cuda:a100-80gb", "fm/snapkv/flash/L2048/c128/m128", 3)));
        Run r = gate("check", "--baseline", f.toString());
        assertEquals(3, r.code());
        assertTrue(r.err().contains(f + " has no baseline for device key 'cpu' (it has: cuda:a100-80gb); measure one "
                + "on this device with: bin/ttft-gate refresh --baseline " + f), r.err());
        Run keyed = gate("check", "--baseline", f.toString(), "--device-key", "cpu-ci");
        assertTrue(keyed.err().contains("--device-key 'cpu-ci'"), keyed.err());
    }

    @Test
    void aBadConfigurationIdIsAUsageError() {
        Run r = gate("check", "--baseline", dir.resolve("b.csv").toString(), "--configs", "fm/snapkv/flash/L2048/c128");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("configuration 'fm/snapkv/flash/L2048/c128' is not METHOD/COMPRESSOR/ATTENTION"),
                r.err());
    }

    @Test
    void aMalformedBaselineStopsTheCheckBeforeMeasuring() throws java.io.IOException {
        Path f = dir.resolve("b.csv");
        java.nio.file.Files.writeString(f, String.join(",", Baseline.COLUMNS) + "\ncpu,x,abc,0,0,3,7,800,50,c,1,g,h,j,t\n");
        Run r = gate("check", "--baseline", f.toString());
        assertEquals(3, r.code());
        assertTrue(r.err().contains(f + ": line 2, column 'normalized': 'abc' is not a finite number"), r.err());
    }

    @Test
    void aBaselineOfAnotherThreadCountOrCalibrationIsNotComparedWith() {
        Path f = dir.resolve("b.csv");
        Baseline b = BaselineCsvTest.row("cpu", "fm/snapkv/flash/L2048/c128/m128", 3);
        BaselineCsv.write(f, List.of(b));
        Run threads = gate("check", "--baseline", f.toString(), "--threads", "2");
        assertEquals(3, threads.code());
        assertTrue(threads.err().contains("with 1 thread(s); this run uses '" + CpuCalibration.ID + "' with 2: the "
                + "figures are not comparable. Pass --threads 1, or refresh the baseline"), threads.err());
        BaselineCsv.write(f, List.of(new Baseline(b.deviceKey(), b.config(), 3, 0, 0, 3, 7, 800, 50, "cpu-old-v0", 1,
                "abc", "host", "jvm", "now")));
        Run calibration = gate("check", "--baseline", f.toString());
        assertEquals(3, calibration.code());
        assertTrue(calibration.err().contains("normalized by the calibration 'cpu-old-v0'"), calibration.err());
    }

    @Test
    void aBaselineIsNeverWrittenWithTheTestOnlySlowdown() {
        Run r = gate("refresh", "--baseline", dir.resolve("b.csv").toString(), "--test-only-slowdown", "1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("refusing to write a baseline with the test-only slowdown active"), r.err());
    }

    @Test
    void spreadSummarizesRecordedRunsAndLeavesOutSlowedOnes() {
        Path f = dir.resolve("runs.csv");
        GateRunsCsv.append(f, List.of(
                runRow("r1", "a", 1.02, 1.01, 0), runRow("r1", "b", 1.00, 1.01, 0),
                runRow("r2", "a", 0.97, 0.98, 0), runRow("r2", "b", 0.99, 0.98, 0),
                runRow("r3", "a", 1.40, 1.30, 2), runRow("r3", "b", 1.20, 1.30, 2)));
        Run r = gate("spread", "--records", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 runs of device key `cpu`"), r.out());
        assertTrue(r.out().contains("| a | 2 | 0.970 | 0.995 | 1.020 | 3.0% |"), r.out());
        assertTrue(r.out().contains("Largest deviation of any configuration from its baseline: 3.0%."), r.out());
        assertEquals(3, gate("spread", "--records", f.toString(), "--device-key", "cuda:x").code());
    }

    static GateRunsCsv.Row runRow(String run, String config, double ratio, double geomean, int slowdown) {
        return new GateRunsCsv.Row(run, "", "abc", "cpu", config, 10 * ratio, 800, 50, 7, 10, ratio, "pass", geomean,
                "pass", slowdown, "host");
    }
}
