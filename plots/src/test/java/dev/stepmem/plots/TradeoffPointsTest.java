package dev.stepmem.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.results.ResultRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compressor trade-off: points joined per compressor and method, the Pareto front by hand. */
class TradeoffPointsTest {
    @TempDir
    Path dir;

    static ResultRow row(String source, String device, String compressor, String method, String metric, double value) {
        return new ResultRow("compressors-quick", source, device, "", source.equals("measured") ? "cpu" : "sim",
                source.equals("measured") ? "stories15M" : "llama2-7b", "real", "f32",
                metric.equals("ppl") ? "books" : "random", compressor, method, "", "flash", 2048, 128, 128, metric,
                -1, -1, value, 0, 1, "ok", "abc", "test machine", "2026-01-01T00:00:00Z");
    }

    /**
     * (compressor, ppl, ttft ms, peak bytes): a = (10, 100, 5), b = (8, 120, 4), c = (12, 90, 6),
     * d = (11, 130, 7). d is dominated by a on TTFT and peak; on TTFT the front is b, a, c (each better on one
     * axis); on peak b dominates a and c (lower ppl and peak), so the front is b alone.
     */
    static List<ResultRow> rows() {
        List<ResultRow> rows = new ArrayList<>();
        Object[][] p = {{"a", 10.0, 100.0, 5.0}, {"b", 8.0, 120.0, 4.0}, {"c", 12.0, 90.0, 6.0}, {"d", 11.0, 130.0, 7.0}};
        for (Object[] x : p) {
            String c = (String) x[0];
            rows.add(row("measured", "cpu", c, "fm", "ppl", (double) x[1]));
            rows.add(row("measured", "cpu", c, "fm", "ttft_ms", (double) x[2]));
            rows.add(row("measured", "cpu", c, "fm", "peak_bytes", (double) x[3] * 0x1p20));
            rows.add(row("modeled", "a800-80gb", c, "fm", "ttft_ms", 1000 * (double) x[2]));
            rows.add(row("modeled", "a800-80gb", c, "fm", "peak_bytes", (double) x[3] * 0x1p30));
        }
        rows.add(row("measured", "cpu", "e", "im", "ttft_ms", 1)); // no ppl: not a point
        return rows;
    }

    @Test
    void joinsPerCompressorAndMethodAndFindsTheFront() {
        List<TradeoffPoints.Point> points = TradeoffPoints.all(rows());
        assertEquals(8, points.size(), "4 measured + 4 modeled; e has no perplexity");
        List<TradeoffPoints.Point> measured = points.stream().filter(p -> p.source().equals("measured")).toList();
        assertEquals(List.of("b", "a", "c"), TradeoffPoints.paretoFront(measured, TradeoffPoints.Point::ttftMs).stream()
                .map(TradeoffPoints.Point::compressor).toList());
        assertEquals(List.of("b"), TradeoffPoints.paretoFront(measured, TradeoffPoints.Point::peakBytes).stream()
                .map(TradeoffPoints.Point::compressor).toList());
    }

    @Test
    void theTableMarksTheFrontAndTheFigureRenders() throws Exception {
        String table = TradeoffPoints.table(rows());
        assertTrue(table.contains("| b | flash | FM | 8.0 | 120 (0) | 4.0 | TTFT, peak | 120.00 | 4.0 |"), table);
        assertTrue(table.contains("| d | flash | FM | 11.0 | 130 (0) | 7.0 | - |"), table);
        assertTrue(table.contains("Pareto front (PPL vs measured TTFT): b FM, a FM, c FM."), table);
        List<Path> files = TradeoffCompressors.render(rows()).save(dir.resolve("tradeoff"));
        for (Path f : files) {
            assertTrue(Files.size(f) > 1000, f + " is written");
        }
    }
}
