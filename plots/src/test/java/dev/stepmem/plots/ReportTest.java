package dev.stepmem.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.results.ResultRow;
import dev.stepmem.results.ResultsCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** results/REPORT.md: figures with their tables, findings computed from the rows, the same bytes every time. */
class ReportTest {
    @TempDir
    Path dir;

    static List<ResultRow> rows() {
        List<ResultRow> rows = new ArrayList<>(PlotsTest.rows()); // fig2, fig4 (IMDC fastest and smallest)
        rows.addAll(FiguresTest.all()); // fig1, fig5, ablation, table4
        return rows;
    }

    private static String finding(String report, String claimStart) {
        return report.lines().filter(l -> l.startsWith("| " + claimStart)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding '" + claimStart + "' in\n" + report));
    }

    @Test
    void theReportShowsEveryFigureWithItsTableAndChecksTheFindings() throws Exception {
        Path csv = dir.resolve("results.csv");
        ResultsCsv.write(csv, rows());
        PlotsMain main = new PlotsMain();
        main.inputs = List.of(csv);
        main.out = dir.resolve("plots");
        main.report = dir.resolve("results").resolve("REPORT.md");
        assertEquals(0, main.call());
        byte[] first = Files.readAllBytes(main.report);
        assertEquals(0, main.call());
        assertArrayEquals(first, Files.readAllBytes(main.report), "the report is a pure function of the CSV");

        String md = Files.readString(main.report);
        for (String fig : new String[] {"fig1a-memory-attention", "fig1b-memory-distribution", "fig6-memory-heatmap",
                "fig2-schedules", "fig4-time-memory", "fig5-perplexity", "ablation-functions"}) {
            assertTrue(md.contains("](../plots/" + fig + ".png)"), fig + " is linked relative to the report");
        }
        assertTrue(md.contains("## Table 4. One long input") && md.contains("OOM (needs 512.00 GiB)"), md);
        // fig4 rows: TTFT 3000 / 2700 / 2400 + m (FM / IM / IMDC), peaks 64 / 62 / 60 MiB
        assertTrue(finding(md, "IM faster than FM (TTFT, Fig 4, measured)").endsWith("| holds |"), md);
        assertTrue(finding(md, "IMDC has the lowest peak memory (Fig 4, measured)").contains("lowest in 3 of 3"), md);
        assertTrue(finding(md, "Fig 1a").endsWith("| holds |"), "the synthetic probe rows rise with the step");
        assertTrue(md.contains("| 32 | 3.032 | 2.732 | 2.432 | 0.050 / 0.050 / 0.050 | 1.11x | 1.25x |"), md);
        assertTrue(md.contains("## What differs from the paper, and why"), md);
    }

    @Test
    void aFindingThatDoesNotHoldIsSaidPlainly() {
        List<ResultRow> rows = new ArrayList<>();
        for (ResultRow r : PlotsTest.rows()) { // make IM 20% slower than FM, far beyond the 50 ms spreads
            boolean slowIm = r.method().equals("im") && r.metric().equals("ttft_ms") && r.source().equals("measured");
            rows.add(!slowIm ? r : new ResultRow(r.sweep(), r.source(), r.device(), r.profileSha(), r.backend(),
                    r.model(), r.weights(), r.dtype(), r.domain(), r.compressor(), r.method(), r.function(),
                    r.attention(), r.length(), r.chunk(), r.memory(), r.metric(), r.step(), r.layer(), 3600 + r.memory(),
                    r.spread(), r.repeats(), r.status(), r.gitCommit(), r.machine(), r.timestamp()));
        }
        String md = Report.render(rows, java.util.Set.of("fig4-time-memory"), "../plots", "plots");
        String im = finding(md, "IM faster than FM (TTFT, Fig 4, measured)");
        assertTrue(im.endsWith("| holds in 0 of 3 |"), im);
        assertTrue(finding(md, "IM and IMDC perplexity").endsWith("| not run |"), "no fig5 rows: said so");
    }
}
