package dev.stepmem.bench.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.bench.gate.TtftGateCliTest.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's sensitivity, shown with its own machinery (JMH forks, calibration, medians, the
 * default thresholds): a baseline measured here, then a check with the test-only slowdown
 * (CpuBackend computes every attention once more, which costs about a quarter of TTFT) must
 * report a regression and exit 1, and a check of the unchanged code must pass. A test of the gate,
 * not a speed target: the code is only ever compared with itself within this test, on two
 * configurations (one flash, one eager) at L = 512 (the chunk shapes of L = 2048, fewer chunks),
 * 2 forks of 2 rounds, to keep it cheap in every CI run.
 */
class GateSensitivityTest {
    static final String CONFIGS = "fm/snapkv/flash/L512/c128/m128,imdc/streamingllm/eager/L512/c128/m128";

    @TempDir
    Path dir;

    private List<String> common(String command) {
        return new ArrayList<>(List.of(command, "--baseline", dir.resolve("baseline.csv").toString(),
                "--configs", CONFIGS, "--forks", "2", "--warmup", "2", "--rounds", "2"));
    }

    /**
     * The gate's per-configuration threshold; the mean's is set between the unchanged spread and the
     * slowdown (about 1.25 here) because a mean of two configurations is noisier than the gate's mean of eight.
     */
    private static List<String> thresholds() {
        return List.of("--threshold", TtftGate.CONFIG_THRESHOLD, "--geomean-threshold", "1.15");
    }

    private static Run gate(List<String> args) {
        Run r = TtftGateCliTest.gate(args.toArray(String[]::new));
        System.out.println(r.out());
        System.out.println(r.err());
        return r;
    }

    @Test
    void theGateFailsOnADeliberateSlowdownAndPassesTheUnchangedCode() {
        List<String> base = common("refresh");
        base.addAll(List.of("--runs", "1"));
        Run refresh = gate(base);
        assertEquals(0, refresh.code(), refresh.out() + refresh.err());

        List<String> slowed = common("check");
        slowed.addAll(List.of("--test-only-slowdown", "1", "--record", dir.resolve("runs.csv").toString()));
        slowed.addAll(thresholds());
        Run slow = gate(slowed);
        assertEquals(1, slow.code(), "a regression exits 1:\n" + slow.out() + slow.err());
        assertTrue(slow.out().contains("## TTFT regression gate: REGRESSION"), slow.out());
        assertTrue(slow.out().contains("TEST-ONLY SLOWDOWN ACTIVE"), slow.out());

        List<String> same = common("check");
        same.addAll(List.of("--record", dir.resolve("runs.csv").toString()));
        same.addAll(thresholds());
        Run unchanged = gate(same);
        assertEquals(0, unchanged.code(), "the unchanged code passes:\n" + unchanged.out() + unchanged.err());

        List<GateRunsCsv.Row> rows = GateRunsCsv.read(dir.resolve("runs.csv"));
        System.out.printf(Locale.ROOT, "ratios with the slowdown: %s; without: %s%n",
                rows.stream().filter(r -> r.testSlowdown() > 0).map(r -> String.format(Locale.ROOT, "%.3f", r.ratio())).toList(),
                rows.stream().filter(r -> r.testSlowdown() == 0).map(r -> String.format(Locale.ROOT, "%.3f", r.ratio())).toList());
    }
}
