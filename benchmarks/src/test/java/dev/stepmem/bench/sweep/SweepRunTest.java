package dev.stepmem.bench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.bench.sweep.Sweeps.Scale;
import dev.stepmem.results.ResultRow;
import dev.stepmem.results.ResultsCsv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash safety and resuming, with a deterministic stand-in for the real runs. */
class SweepRunTest {
    @TempDir
    Path dir;

    /** A point's rows, computed from its configuration only (so two runs give the same rows). */
    static List<ResultRow> fakeRows(SweepPoint p, ResultRow t) {
        double ttft = p.settings().length() / 10.0 + p.settings().memory() + p.settings().method().ordinal();
        return List.of(SweepPoint.row(t, "ttft_ms", -1, -1, ttft, 1.5, 3, "ok"),
                SweepPoint.row(t, "peak_bytes", -1, -1, 1000.0 * p.settings().memory(), 0, 1, "ok"));
    }

    static SweepRun run(Path file, PointRunner runner, List<String> log) {
        return new SweepRun(file, runner, p -> p.template("abc123", "test host", "2026-11-23T00:00:00Z", ""), log::add);
    }

    @Test
    void aSweepKilledMidwayAndResumedEndsWithTheRowsOfAnUninterruptedRun() {
        List<SweepPoint> points = Sweeps.points("fig4", Scale.QUICK);
        Path clean = dir.resolve("clean.csv"), killed = dir.resolve("killed.csv");
        run(clean, SweepRunTest::fakeRows, new ArrayList<>()).run(points, SweepRun.Existing.REFUSE);

        AtomicInteger calls = new AtomicInteger();
        PointRunner dying = (p, t) -> {
            if (calls.incrementAndGet() == 7) {
                throw new IllegalStateException("killed"); // the process dies while running point 7
            }
            return fakeRows(p, t);
        };
        assertThrows(IllegalStateException.class, () -> run(killed, dying, new ArrayList<>())
                .run(points, SweepRun.Existing.REFUSE));
        assertEquals(12, ResultsCsv.read(killed).size(), "6 finished points of 2 rows each, nothing of the 7th");

        List<String> log = new ArrayList<>();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> run(killed, SweepRunTest::fakeRows, log).run(points, SweepRun.Existing.REFUSE));
        assertTrue(refused.getMessage().contains("--resume"), refused.getMessage());
        int ran = run(killed, SweepRunTest::fakeRows, log).run(points, SweepRun.Existing.RESUME);
        assertEquals(points.size() - 6, ran, "only the missing points run again");
        assertEquals(ResultsCsv.read(clean), ResultsCsv.read(killed));
        assertTrue(log.getLast().contains("resumed: 6 of " + points.size()), log.getLast());
    }

    @Test
    void replaceDropsOnlyTheRerunSweepsRows() {
        Path file = dir.resolve("r.csv");
        run(file, SweepRunTest::fakeRows, new ArrayList<>()).run(Sweeps.points("fig2", Scale.QUICK), SweepRun.Existing.REFUSE);
        run(file, SweepRunTest::fakeRows, new ArrayList<>()).run(Sweeps.points("fig4", Scale.QUICK), SweepRun.Existing.REFUSE);
        int before = ResultsCsv.read(file).size();
        run(file, SweepRunTest::fakeRows, new ArrayList<>()).run(Sweeps.points("fig2", Scale.QUICK), SweepRun.Existing.REPLACE);
        assertEquals(before, ResultsCsv.read(file).size(), "fig2's rows replaced, fig4's kept");
    }

    @Test
    void aSecondSweepOnTheSameFileIsRefusedAndTheFirstLosesNoRow() throws Exception {
        Path file = dir.resolve("shared.csv");
        List<SweepPoint> points = Sweeps.points("fig4", Scale.QUICK);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        PointRunner slow = (p, t) -> {
            started.countDown();
            try {
                release.await(); // the first sweep is mid-run while the second one starts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return fakeRows(p, t);
        };
        java.util.concurrent.CompletableFuture<Integer> first = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> run(file, slow, new ArrayList<>()).run(points, SweepRun.Existing.REFUSE));
        started.await();
        dev.stepmem.exit.CannotRunHereException refused = assertThrows(dev.stepmem.exit.CannotRunHereException.class,
                () -> run(file, SweepRunTest::fakeRows, new ArrayList<>()).run(Sweeps.points("fig2", Scale.QUICK),
                        SweepRun.Existing.REFUSE));
        assertTrue(refused.getMessage().startsWith(file + " is being written by another run: pid "
                + ProcessHandle.current().pid() + " (sweep of " + points.size() + " points) since "), refused.getMessage());
        release.countDown();
        assertEquals(points.size(), first.get());
        Path alone = dir.resolve("alone.csv");
        run(alone, SweepRunTest::fakeRows, new ArrayList<>()).run(points, SweepRun.Existing.REFUSE);
        assertEquals(ResultsCsv.read(alone), ResultsCsv.read(file), "every row of the first sweep, once, none of the second");
    }

    @Test
    void aRunOfTheModeledPointsReplacesOnlyTheModeledRows() {
        Path file = dir.resolve("m.csv");
        List<SweepPoint> fig4 = Sweeps.points("fig4", Scale.QUICK);
        run(file, SweepRunTest::fakeRows, new ArrayList<>()).run(fig4, SweepRun.Existing.REFUSE);
        List<ResultRow> measured = ResultsCsv.read(file).stream().filter(r -> r.source().equals("measured")).toList();
        List<SweepPoint> modeled = fig4.stream().filter(p -> p.kind() == SweepPoint.Kind.MODELED).toList();
        PointRunner changed = (p, t) -> List.of(SweepPoint.row(t, "ttft_ms", -1, -1, 42, 0, 1, "ok"));
        assertEquals(modeled.size(), run(file, changed, new ArrayList<>()).run(modeled, SweepRun.Existing.REPLACE));
        List<ResultRow> after = ResultsCsv.read(file);
        assertEquals(measured, after.stream().filter(r -> r.source().equals("measured")).toList(), "measured rows kept");
        assertTrue(after.stream().filter(r -> r.source().equals("modeled")).allMatch(r -> r.value() == 42));
        assertEquals(measured.size() + modeled.size(), after.size());
    }

    @Test
    void unknownSweepOrScaleIsNamed() {
        assertEquals("unknown sweep 'fig9' (known: fig1, fig2, fig4, fig5, ablation, table4, compressors)",
                assertThrows(IllegalArgumentException.class, () -> Sweeps.points("fig9", Scale.QUICK)).getMessage());
        assertEquals("unknown --scale 'huge' (expected quick or paper)",
                assertThrows(IllegalArgumentException.class, () -> Scale.parse("huge")).getMessage());
    }
}
