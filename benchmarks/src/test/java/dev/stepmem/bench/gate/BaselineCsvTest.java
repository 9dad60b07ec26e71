package dev.stepmem.bench.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baseline file: round trip, one device's refresh keeping the others, and errors naming file, line and column. */
class BaselineCsvTest {
    @TempDir
    Path dir;

    static Baseline row(String key, String config, double normalized) {
        return new Baseline(key, config, normalized, 0.02, 0.1, 3, 7, 812.5, 51.25, CpuCalibration.ID, 1, "abc123",
                "AMD EPYC, 2 cores, 256-bit vectors", "OpenJDK 25", "2026-11-24T00:00:00Z");
    }

    @Test
    void rowsRoundTrip() {
        Path f = dir.resolve("b.csv");
        List<Baseline> rows = List.of(row("cpu", "fm/snapkv/flash/L2048/c128/m128", 16.25),
                row("cuda:a100-80gb", "fm/snapkv/flash/L2048/c128/m128", 3.5));
        BaselineCsv.write(f, rows);
        assertEquals(rows, BaselineCsv.read(f).orElseThrow());
    }

    @Test
    void aMissingFileReadsAsAbsent() {
        assertTrue(BaselineCsv.read(dir.resolve("none.csv")).isEmpty());
    }

    @Test
    void refreshingOneDeviceKeepsTheOtherDevicesRows() {
        Path f = dir.resolve("b.csv");
        BaselineCsv.write(f, List.of(row("cpu", "x/a", 1), row("cuda:rtx3090-24gb", "x/a", 2), row("cpu", "x/b", 3)));
        BaselineCsv.replaceDevice(f, List.of(row("cpu", "x/a", 10)));
        assertEquals(List.of(row("cuda:rtx3090-24gb", "x/a", 2), row("cpu", "x/a", 10)), BaselineCsv.read(f).orElseThrow());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temp file left behind");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private String error(String content) throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, content);
        return assertThrows(GateException.class, () -> BaselineCsv.read(f)).getMessage();
    }

    private static String header() {
        return String.join(",", Baseline.COLUMNS) + "\n";
    }

    @Test
    void aMalformedNumberNamesFileLineAndColumn() throws IOException {
        String good = "cpu,fm/snapkv/flash/L2048/c128/m128,16.2,0.01,0.1,3,7,800,50,cpu-mlp-v1,1,abc,host,jvm,now\n";
        String m = error(header() + good + good.replace("16.2", "fast"));
        assertTrue(m.contains("bad.csv: line 3, column 'normalized': 'fast' is not a finite number"), m);
    }

    @Test
    void aNonPositiveBaselineIsRefused() throws IOException {
        String m = error(header() + "cpu,x,0,0,0,3,7,800,50,c,1,abc,host,jvm,now\n");
        assertTrue(m.contains("line 2, column 'normalized': '0' is not a positive number"), m);
    }

    @Test
    void aWrongIntegerNamesItsColumn() throws IOException {
        String m = error(header() + "cpu,x,1,0,0,three,7,800,50,c,1,abc,host,jvm,now\n");
        assertTrue(m.contains("line 2, column 'runs': 'three' is not an integer"), m);
    }

    @Test
    void aMissingColumnIsReportedWithItsLine() throws IOException {
        String m = error(header() + "cpu,x,1,0,0,3,7,800,50\n");
        assertTrue(m.contains("bad.csv: line 2: 9 columns, expected 15"), m);
    }

    @Test
    void aWrongHeaderNamesTheColumn() throws IOException {
        String m = error(header().replace("normalized", "ttft") + "cpu,x,1,0,0,3,7,800,50,c,1,abc,host,jvm,now\n");
        assertTrue(m.contains("bad.csv: line 1, column 3: expected header 'normalized', found 'ttft'"), m);
    }

    @Test
    void anEmptyFileAndBrokenQuotingAreReported() throws IOException {
        assertTrue(error("").contains("empty, expected the header device_key,config"));
        String m = error(header() + "cpu,\"unclosed,1,0,0,3,7,800,50,c,1,abc,host,jvm,now\n");
        assertTrue(m.contains("bad.csv: not a valid CSV file"), m);
    }
}
