package dev.stepmem.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.results.ResultRow;
import dev.stepmem.results.ResultsCsv;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fig 1a, 1b, 5, 6, the function ablation and Table 4 from synthetic rows in the tidy schema. */
class FiguresTest {
    @TempDir
    Path dir;

    static ResultRow row(String sweep, String compressor, String method, String function, int length, int chunk,
                         int memory, String metric, int step, int layer, double value, String status, String domain) {
        return new ResultRow(sweep, "measured", "cpu", "", "cpu", "stories15M", "real", "f32", domain, compressor,
                method, function, compressor.equals("snapkv") ? "eager" : "flash", length, chunk, memory, metric, step,
                layer, value, 0, 3, status, "abc", "test host", "2026-11-23T00:00:00Z");
    }

    static List<ResultRow> probeRows() {
        List<ResultRow> rows = new ArrayList<>();
        int chunks = 16, layers = 6;
        for (String comp : new String[] {"snapkv", "streamingllm"}) {
            double bias = comp.equals("snapkv") ? 1.0 : 0.6;
            for (int i = 1; i < chunks; i++) {
                rows.add(row("fig1-quick", comp, "fm", "", 8192, 512, 512, "mem_attention", i, -1,
                        1e-4 * (1 + bias * i), "ok", "pg19"));
            }
            double[][] share = new double[layers][chunks];
            for (int l = 0; l < layers; l++) {
                double sum = 0;
                for (int k = 0; k < chunks; k++) {
                    share[l][k] = Math.pow(1.2 + 0.05 * l * bias, k);
                    sum += share[l][k];
                }
                for (int k = 0; k < chunks; k++) {
                    share[l][k] /= sum;
                    rows.add(row("fig1-quick", comp, "fm", "", 8192, 512, 512, "memory_fraction", k, l, share[l][k],
                            "ok", "pg19"));
                }
            }
            for (int k = 0; k < chunks; k++) {
                double mean = 0;
                for (int l = 0; l < layers; l++) {
                    mean += share[l][k] / layers;
                }
                rows.add(row("fig1-quick", comp, "fm", "", 8192, 512, 512, "memory_fraction", k, -1, mean, "ok",
                        "pg19"));
            }
        }
        return rows;
    }

    static List<ResultRow> pplRows() {
        List<ResultRow> rows = new ArrayList<>();
        for (String domain : new String[] {"code", "latex"}) {
            double base = domain.equals("code") ? 900 : 1400;
            rows.add(row("fig5-quick", "", "full", "", 4096, 256, 0, "ppl", -1, -1, base, "ok", domain));
            for (String comp : new String[] {"snapkv", "streamingllm"}) {
                String[] methods = {"fm", "im", "imdc"};
                for (int mem : new int[] {64, 128, 256}) {
                    for (int i = 0; i < 3; i++) {
                        rows.add(row("fig5-quick", comp, methods[i], i == 0 ? "" : "linear", 4096, 256, mem, "ppl",
                                -1, -1, base * (1 + 0.4 * 64 / mem - 0.05 * i), "ok", domain));
                    }
                }
            }
        }
        return rows;
    }

    static List<ResultRow> ablationRows() {
        List<ResultRow> rows = new ArrayList<>();
        String[] functions = {"linear", "square", "sqrt", "inverse_convex", "inverse_concave", "adaptive"};
        for (int f = 0; f < functions.length; f++) {
            for (String method : new String[] {"im", "imdc"}) {
                if (functions[f].equals("adaptive") && method.equals("imdc")) {
                    continue; // IM only
                }
                double off = method.equals("imdc") ? -200 : 0;
                rows.add(row("ablation-quick", "snapkv", method, functions[f], 8192, 512, 256, "ttft_ms", -1, -1,
                        2500 + 100 * f + off, "ok", "pg19"));
                rows.add(row("ablation-quick", "snapkv", method, functions[f], 8192, 512, 256, "ppl", -1, -1,
                        12 + 0.3 * f + (method.equals("imdc") ? 0.1 : 0), "ok", "pg19"));
            }
        }
        rows.add(row("ablation-quick", "snapkv", "fm", "", 8192, 512, 256, "ttft_ms", -1, -1, 3000, "ok", "pg19"));
        rows.add(row("ablation-quick", "snapkv", "fm", "", 8192, 512, 256, "ppl", -1, -1, 12.2, "ok", "pg19"));
        return rows;
    }

    static List<ResultRow> table4Rows() {
        List<ResultRow> rows = new ArrayList<>();
        rows.add(row("table4-quick", "snapkv", "full", "", 1 << 20, 8192, 0, "ttft_ms", -1, -1, Double.NaN, "oom",
                "pg19"));
        rows.add(row("table4-quick", "snapkv", "full", "", 1 << 20, 8192, 0, "peak_bytes", -1, -1,
                512.0 * (1L << 30), "oom", "pg19"));
        String[] methods = {"fm", "imdc"};
        for (int i = 0; i < 2; i++) {
            rows.add(row("table4-quick", "snapkv", methods[i], i == 0 ? "" : "linear", 1 << 20, 8192, 8192,
                    "ttft_ms", -1, -1, i == 0 ? 505_000 : 328_000, "ok", "pg19"));
            rows.add(row("table4-quick", "snapkv", methods[i], i == 0 ? "" : "linear", 1 << 20, 8192, 8192,
                    "peak_bytes", -1, -1, 20.5 * (1L << 30), "ok", "pg19"));
            rows.add(row("table4-quick", "snapkv", methods[i], i == 0 ? "" : "linear", 1 << 20, 8192, 8192, "ppl",
                    -1, -1, i == 0 ? 2.13 : 2.11, "ok", "pg19"));
        }
        return rows;
    }

    static List<ResultRow> all() {
        List<ResultRow> rows = new ArrayList<>(probeRows());
        rows.addAll(pplRows());
        rows.addAll(ablationRows());
        rows.addAll(table4Rows());
        return rows;
    }

    @Test
    void newFiguresRenderAndReRenderByteIdentically() throws Exception {
        Path csv = dir.resolve("results.csv");
        ResultsCsv.write(csv, all());
        Path a = dir.resolve("a"), b = dir.resolve("b");
        assertEquals(0, run(csv, a));
        assertEquals(0, run(csv, b));
        List<String> names = new ArrayList<>(List.of("table4-1m.md"));
        for (String fig : new String[] {"fig1a-memory-attention", "fig1b-memory-distribution", "fig6-memory-heatmap",
                "fig5-perplexity", "ablation-functions"}) {
            names.add(fig + ".png");
            names.add(fig + ".svg");
        }
        for (String name : names) {
            assertTrue(Files.size(a.resolve(name)) > 500, name + " has content");
            assertArrayEquals(Files.readAllBytes(a.resolve(name)), Files.readAllBytes(b.resolve(name)),
                    name + " is a pure function of the CSV");
        }
        Path keep = Path.of("target", "test-figures");
        Files.createDirectories(keep);
        for (String name : names) {
            Files.copy(a.resolve(name), keep.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        List<ResultRow> rows = ResultsCsv.read(csv);
        // panels x columns: 1a and 1b one panel (all compressors in it); Fig 6 one per compressor; Fig 5 domain x
        // compressor; the ablation one per metric
        assertSize(a, "fig1a-memory-attention", Fig1aMemoryAttention.render(rows), 1, 1);
        assertSize(a, "fig1b-memory-distribution", Fig1bMemoryDistribution.render(rows), 1, 1);
        assertSize(a, "fig6-memory-heatmap", Fig6MemoryHeatmap.render(rows), 2, 1);
        assertSize(a, "fig5-perplexity", Fig5Perplexity.render(rows), 2, 2);
        assertSize(a, "ablation-functions", AblationFunctions.render(rows), 2, 1);
    }

    private static void assertSize(Path dir, String name, FigureCanvas canvas, int columns, int rows)
            throws Exception {
        BufferedImage png = ImageIO.read(dir.resolve(name + ".png").toFile());
        assertEquals(columns * FigureCanvas.PANEL_W, png.getWidth(), name + " width");
        assertEquals(FigureCanvas.TITLE_H + rows * FigureCanvas.PANEL_H + canvas.captionHeight(), png.getHeight(),
                name + " height");
        assertTrue(canvas.captionHeight() >= 18 + 15 * (canvas.captionLines().size() - 1) + 11,
                name + ": the caption band holds every line");
    }

    @Test
    void figureContent() {
        List<ResultRow> rows = all();
        FigureCanvas fig6 = Fig6MemoryHeatmap.render(rows);
        assertTrue(fig6.caption().contains("chunk 15) is dropped"), fig6.caption());
        FigureCanvas fig5 = Fig5Perplexity.render(rows);
        assertTrue(fig5.caption().contains("stories15M") && fig5.caption().contains("out of domain on code and LaTeX"),
                fig5.caption());
        assertTrue(fig5.panels().stream().allMatch(p -> p.getSeriesCollection().stream()
                .anyMatch(s -> s.getName().startsWith("full attention"))), "every Fig 5 panel has its full-attention line");
        for (FigureCanvas f : List.of(Fig1aMemoryAttention.render(rows), fig5, fig6)) {
            assertTrue(f.caption().contains("Model stories15M") && f.caption().contains("device cpu")
                    && f.caption().contains("sweep ") && f.caption().contains("measured"), f.caption());
        }
        var ablation = (org.knowm.xchart.CategoryChart) AblationFunctions.render(rows).panels().getFirst();
        List<String> functions = ablation.getSeriesCollection().iterator().next().getXData().stream()
                .map(Object::toString).toList();
        assertEquals(List.of("linear", "square", "sqrt", "inverse_convex", "inverse_concave", "adaptive"), functions);
        assertTrue(ablation.getTitle().startsWith("TTFT [measured]"), "measured TTFT first: " + ablation.getTitle());
        var fm = ablation.getSeriesCollection().stream().filter(x -> x.getName().equals("FM")).findFirst().orElseThrow();
        assertEquals(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line,
                fm.getChartCategorySeriesRenderStyle().orElseThrow(), "FM, which has no function, is the reference line");
        assertEquals(List.of(3.0), java.util.Arrays.stream(fm.getYData()).boxed().distinct().toList());
    }

    @Test
    void table4ShowsTheOomRunWithTheBytesItNeeded() {
        String md = Table4OneMillion.render(all()).text();
        List<String> lines = md.lines().filter(l -> l.startsWith("| ")).toList();
        assertEquals("| method | compressor | TTFT (s) | peak memory | PPL | status | runs |", lines.get(0));
        assertEquals("| FULL | - | - | - | - | OOM (needs 512.00 GiB) | - |", lines.get(1));
        assertEquals("| FM | snapkv (eager) | 505.0 | 20.50 GiB | 2.130 | ok | 3 |", lines.get(2));
        assertEquals("| IMDC | snapkv (eager) | 328.0 | 20.50 GiB | 2.110 | ok | 3 |", lines.get(3));
        assertTrue(md.contains("table4-quick") && md.contains("## stories15M on cpu [measured], L = 1048576"), md);
    }

    @Test
    void table4JoinsTimingOnIdsWithPerplexityOnADocumentAndSplitsModeledRuns() {
        List<ResultRow> rows = new ArrayList<>();
        for (ResultRow r : table4Rows()) { // timing rows on seeded ids, perplexity on a book
            rows.add(r.metric().equals("ppl") ? r : withDomain(r, "random"));
        }
        for (ResultRow r : table4Rows()) {
            if (!r.metric().equals("ppl")) {
                rows.add(new ResultRow(r.sweep(), "modeled", "a800-80gb", "900eeb3fa000", "sim", "llama2-7b",
                        "synthetic", "bf16", "random", r.compressor(), r.method(), r.function(), r.attention(),
                        r.length(), r.chunk(), r.memory(), r.metric(), -1, -1, r.value(), 0, 1, r.status(), "abc",
                        "test host", "2026-11-23T00:00:00Z"));
            }
        }
        String md = Table4OneMillion.render(rows).text();
        List<String> lines = md.lines().filter(l -> l.startsWith("| ")).toList();
        assertEquals(8, lines.size(), "two tables of a header and three methods:\n" + md);
        assertEquals("| FM | snapkv (eager) | 505.0 | 20.50 GiB | 2.130 | ok | 3 |", lines.get(2));
        assertEquals("| FM | snapkv (eager) | 505.0 | 20.50 GiB | - | ok | 1 |", lines.get(6));
        assertTrue(md.indexOf("[measured]") < md.indexOf("## llama2-7b on a800-80gb [modeled]"), md);
    }

    private static ResultRow withDomain(ResultRow r, String domain) {
        return new ResultRow(r.sweep(), r.source(), r.device(), r.profileSha(), r.backend(), r.model(), r.weights(),
                r.dtype(), domain, r.compressor(), r.method(), r.function(), r.attention(), r.length(), r.chunk(),
                r.memory(), r.metric(), r.step(), r.layer(), r.value(), r.spread(), r.repeats(), r.status(),
                r.gitCommit(), r.machine(), r.timestamp());
    }

    @Test
    void aMissingMetricIsNamedAndTheOtherFiguresAreStillDrawn() throws Exception {
        List<ResultRow> rows = probeRows().stream().filter(r -> r.metric().equals("mem_attention")).toList();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fig1bMemoryDistribution.render(rows));
        assertEquals("Fig 1b: no rows with metric memory_fraction in sweeps fig1* of the results", e.getMessage());
        Path csv = dir.resolve("partial.csv");
        ResultsCsv.write(csv, rows);
        Path out = dir.resolve("out");
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class, () -> run(csv, out));
        assertTrue(all.getMessage().contains("fig1b-memory-distribution: Fig 1b: no rows with metric memory_fraction")
                && all.getMessage().contains("fig6-memory-heatmap: Fig 6"), all.getMessage());
        assertTrue(!Files.exists(out), "a run with a failed figure writes nothing, not even Fig 1a");
        assertThrows(IllegalArgumentException.class, () -> Table4OneMillion.render(
                table4Rows().stream().filter(r -> !r.metric().equals("peak_bytes")).toList()));
    }

    private static int run(Path csv, Path out) {
        PlotsMain main = new PlotsMain();
        main.inputs = List.of(csv);
        main.out = out;
        return main.call();
    }
}
