package dev.stepmem.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.model.AttentionMode;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.results.ResultRow;
import dev.stepmem.results.ResultsCsv;
import dev.stepmem.results.ScheduleRows;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    @TempDir
    Path dir;

    static ResultRow template(String sweep, String source, String device) {
        return new ResultRow(sweep, source, device, source.equals("modeled") ? "0123456789ab" : "", "cpu",
                "stories15M", "real", "f32", "random", "snapkv", "fm", "", "flash", 0, 0, 0, "", -1, -1, 0, 0, 1, "ok",
                "abc", "test host", "2026-11-23T00:00:00Z");
    }

    static List<ResultRow> rows() {
        List<ResultRow> rows = new ArrayList<>();
        for (Method m : new Method[] {Method.FM, Method.IM, Method.IMDC}) {
            PrefillSettings s = new PrefillSettings(m, "linear", Compressors.parse("snapkv"), 4096, 128, 128,
                    AttentionMode.EAGER);
            rows.addAll(ScheduleRows.of(s, 6, template("fig2-quick", "measured", "cpu")));
        }
        String[] methods = {"fm", "im", "imdc"};
        for (String source : new String[] {"measured", "modeled"}) {
            for (int mem : new int[] {32, 64, 128}) {
                for (int i = 0; i < 3; i++) {
                    boolean oom = source.equals("modeled") && mem == 128 && i == 0;
                    ResultRow t = template("fig4-quick", source, source.equals("measured") ? "cpu" : "rtx3090-24gb");
                    rows.add(new ResultRow(t.sweep(), t.source(), t.device(), t.profileSha(), t.backend(), t.model(),
                            t.weights(), t.dtype(), t.domain(), t.compressor(), methods[i], i == 0 ? "" : "linear",
                            t.attention(), 8192, 128, mem, "ttft_ms", -1, -1, oom ? Double.NaN : 3000 - 300 * i + mem,
                            50, 3, oom ? "oom" : "ok", t.gitCommit(), t.machine(), t.timestamp()));
                    rows.add(new ResultRow(t.sweep(), t.source(), t.device(), t.profileSha(), t.backend(), t.model(),
                            t.weights(), t.dtype(), t.domain(), t.compressor(), methods[i], i == 0 ? "" : "linear",
                            t.attention(), 8192, 128, mem, "peak_bytes", -1, -1, (64 - 2 * i) * 1048576.0 + mem, 0, 1,
                            oom ? "oom" : "ok", t.gitCommit(), t.machine(), t.timestamp()));
                }
            }
        }
        return rows;
    }

    @Test
    void figuresRenderAsPngAndSvgAndReRenderByteIdentically() throws Exception {
        Path csv = dir.resolve("results.csv");
        ResultsCsv.write(csv, rows());
        Path a = dir.resolve("a"), b = dir.resolve("b");
        assertEquals(0, run(csv, a));
        assertEquals(0, run(csv, b));
        for (String name : new String[] {"fig2-schedules.png", "fig2-schedules.svg", "fig4-time-memory.png",
                "fig4-time-memory.svg"}) {
            assertTrue(Files.size(a.resolve(name)) > 1000, name + " has content");
            assertArrayEquals(Files.readAllBytes(a.resolve(name)), Files.readAllBytes(b.resolve(name)),
                    name + " is a pure function of the CSV");
        }
        // Kept for a person to look at: plots/target/test-figures/
        Path keep = Path.of("target", "test-figures");
        Files.createDirectories(keep);
        try (var files = Files.list(a)) {
            for (Path f : files.toList()) {
                Files.copy(f, keep.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        BufferedImage fig4 = ImageIO.read(a.resolve("fig4-time-memory.png").toFile());
        // measured + modeled panels, two charts each, two columns: 2 rows of 520 x 360 plus title and caption
        assertEquals(2 * FigureCanvas.PANEL_W, fig4.getWidth());
        assertEquals(FigureCanvas.TITLE_H + 2 * FigureCanvas.PANEL_H + FigureCanvas.CAPTION_H, fig4.getHeight());
        // XChart draws text as shapes, so the SVG holds no words: check the panel titles instead.
        assertTrue(Fig4TimeMemory.render(ResultsCsv.read(csv)).panels().stream()
                        .anyMatch(p -> p.getTitle().contains("[modeled]") && p.getTitle().endsWith("OOM: FM@128")),
                "the modeled OOM run is named in its panel");
    }

    @Test
    void aForeignCsvGivesTheFileLineAndColumn() throws Exception {
        Path foreign = Files.writeString(dir.resolve("foreign.csv"), "a,b\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(foreign, dir));
        assertTrue(e.getMessage().startsWith(foreign + ": line 1, column 1: expected header 'sweep'"), e.getMessage());
    }

    private static int run(Path csv, Path out) {
        PlotsMain main = new PlotsMain();
        main.inputs = List.of(csv);
        main.out = out;
        return main.call();
    }
}
