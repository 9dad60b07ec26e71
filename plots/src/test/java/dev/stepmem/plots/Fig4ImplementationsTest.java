package dev.stepmem.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.results.ResultRow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;

/** Fig 4 with two implementation profiles: side by side on one scale, and the report's sentences from the rows. */
class Fig4ImplementationsTest {
    /** Modeled A800 headline rows: TTFT in ms and peak bytes per method for one implementation. */
    static List<ResultRow> rows(String implementation, double fm, double im, double imdc) {
        List<ResultRow> out = new ArrayList<>();
        String[] methods = {"fm", "im", "imdc"};
        double[] ttft = {fm, im, imdc};
        for (int k = 0; k < 3; k++) {
            for (String metric : new String[] {"ttft_ms", "peak_bytes"}) {
                out.add(new ResultRow("fig4-quick", "modeled", "a800-80gb", "900eeb3fa000", "sim:" + implementation,
                        "llama2-7b", "synthetic", "bf16", "random", "snapkv", methods[k], k == 0 ? "" : "linear",
                        "eager", 32768, 1024, 1024, metric, -1, -1, metric.equals("ttft_ms") ? ttft[k]
                        : (40.0 - 5 * k) * 0x1p30, 0, 1, "ok", "abc", "test host", "2026-11-23T00:00:00Z"));
            }
        }
        return out;
    }

    static List<ResultRow> both() {
        List<ResultRow> all = new ArrayList<>(rows("efficient", 3000, 2700, 2500));
        all.addAll(rows("reference-eager", 15000, 10000, 10000));
        return all;
    }

    @Test
    void theTwoImplementationsSitSideBySideOnOneScaleThePapersCodeFirst() {
        List<CategoryChart> panels = Fig4TimeMemory.render(both()).panels().stream().map(p -> (CategoryChart) p)
                .toList();
        assertEquals(List.of("TTFT [modeled, reference-eager]", "TTFT [modeled, efficient]",
                        "Peak memory [modeled, reference-eager]", "Peak memory [modeled, efficient]"),
                panels.stream().map(p -> p.getTitle().substring(0, p.getTitle().indexOf(':'))).toList());
        // the TTFT pair shares the largest bar's range (15 s + 5%), so the efficient bars look as small as they are
        assertEquals(15 * 1.05, panels.get(0).getStyler().getYAxisMax(), 1e-9);
        assertEquals(15 * 1.05, panels.get(1).getStyler().getYAxisMax(), 1e-9);
        assertEquals(40 * 1.05, panels.get(3).getStyler().getYAxisMax(), 1e-9);
    }

    @Test
    void theReportSaysHowMuchOfTheSpeedUpIsTheEagerCodes() {
        String text = ReportImplementations.headline(both());
        assertTrue(text.contains("FM 15.00 s against IMDC 10.00 s, FM/IMDC 1.50x"), text);
        assertTrue(text.contains("FM 3.00 s against IMDC 2.50 s, FM/IMDC 1.20x"), text);
        // saved: 5.0 s in the paper's code, 0.5 s in the efficient engine: 90% of it is the eager code's
        assertTrue(text.contains("IMDC saves 5.00 s in the paper's code and 0.50 s") && text.contains("90% of the saving"),
                text);
        assertEquals("", ReportImplementations.headline(rows("efficient", 3000, 2700, 2500)),
                "nothing to compare with one implementation");
    }
}
