package dev.stepmem.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsCsvTest {
    @TempDir
    Path dir;

    static ResultRow row(String method, String metric, double value) {
        return row(method, metric, value, "ok");
    }

    static ResultRow row(String method, String metric, double value, String status) {
        return new ResultRow("fig4", "measured", "cpu", "", "cpu", "stories15M", "real", "f32", "random", "snapkv",
                method, method.equals("fm") ? "" : "linear", "eager", 8192, 128, 64, metric, -1, -1, value, 0.25, 3,
                status, "abc123", "AMD EPYC, 2 cores", "2026-11-23T22:00:00Z");
    }

    @Test
    void rowsRoundTripExactlyIncludingMissingValuesAndCommas() throws Exception {
        Path file = dir.resolve("results.csv");
        List<ResultRow> rows = List.of(row("fm", "ttft_ms", 1234.5678901), row("imdc", "ttft_ms", Double.NaN, "oom"),
                row("im", "peak_bytes", 69_420_416));
        ResultsCsv.write(file, rows);
        assertEquals(rows, ResultsCsv.read(file));
        assertTrue(Files.readString(file).contains("\"AMD EPYC, 2 cores\""), "a comma in a cell is quoted");
    }

    @Test
    void appendKeepsEarlierRunsAndRunKeysIdentifyConfigurations() throws Exception {
        Path file = dir.resolve("sub/results.csv");
        assertEquals(List.of(), ResultsCsv.read(file), "a missing file has no rows");
        ResultsCsv.append(file, List.of(row("fm", "ttft_ms", 1), row("fm", "peak_bytes", 2)));
        ResultsCsv.append(file, List.of(row("imdc", "ttft_ms", 3)));
        assertEquals(3, ResultsCsv.read(file).size());
        Set<String> keys = ResultsCsv.runKeys(file);
        assertEquals(2, keys.size(), "two runs: fm (two metrics) and imdc");
        assertTrue(keys.contains(row("fm", "x", 0).runKey()));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temp file is left behind");
        }
    }

    @Test
    void aForeignCsvIsRefusedNamingFileLineAndColumn() throws Exception {
        Path foreign = Files.writeString(dir.resolve("other.csv"), "name,value\nx,1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.read(foreign));
        assertEquals(foreign + ": line 1, column 1: expected header 'sweep', found 'name' (not a stepmem results file?)",
                e.getMessage());
        Path bom = dir.resolve("bom.csv");
        ResultsCsv.write(bom, List.of(row("fm", "ttft_ms", 1)));
        byte[] body = Files.readAllBytes(bom);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Files.write(bom, withBom);
        e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.read(bom));
        assertEquals(bom + ": starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without one", e.getMessage());
    }

    @Test
    void untrustworthyValuesAndTornLinesAreRefused() throws Exception {
        Path file = dir.resolve("r.csv");
        ResultsCsv.write(file, List.of(row("fm", "ttft_ms", 1), row("fm", "memory_fraction", 0.5)));
        String text = Files.readString(file);
        java.util.Map<String, String> cases = java.util.Map.of(
                text.replace(",memory_fraction,-1,-1,0.5,", ",mem_fraction,-1,-1,0.5,"),
                "line 3, column 'metric': unknown metric 'mem_fraction' (known: ttft_ms, peak_bytes, ppl, "
                        + "mem_attention, memory_fraction, chunk_size, memory_size)",
                text.replace(",memory_fraction,-1,-1,0.5,", ",memory_fraction,-1,-1,NaN,"),
                "line 3, column 'value': 'NaN' is not a number (only the ttft_ms of an oom row may be missing)",
                text.replace(",memory_fraction,-1,-1,0.5,", ",memory_fraction,-1,-1,-1e308,"),
                "line 3, column 'value': '-1.0E308' is outside memory_fraction's range [0, 1]",
                text.replace(",memory_fraction,-1,-1,0.5,", ",memory_fraction,-1,-1,0x1p-1,"),
                "line 3, column 'value': '0x1p-1' is not a finite number or NaN",
                text.replace(",memory_fraction,-1,-1,0.5,", ",memory_fraction,-1,-1,Infinity,"),
                "line 3, column 'value': 'Infinity' is not a finite number or NaN",
                text.substring(0, text.length() - 2),
                "the last line has no final newline (a torn or cut-off write; every row this suite writes ends with one)");
        for (var c : cases.entrySet()) {
            Files.writeString(file, c.getKey());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.read(file));
            assertEquals(file + ": " + c.getValue(), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResultsCsv.write(file, List.of(row("fm", "ppl", 0.5))));
        assertTrue(e.getMessage().contains("column 'value': '0.5' is outside ppl's range [1, inf)"), e.getMessage());
    }

    @Test
    void aMalformedCellIsReportedWithItsLineAndColumn() throws Exception {
        Path file = dir.resolve("bad.csv");
        ResultsCsv.write(file, List.of(row("fm", "ttft_ms", 1), row("im", "ttft_ms", 2)));
        String text = Files.readString(file);
        Files.writeString(file, text.replace(",im,linear,eager,8192,", ",im,linear,eager,lots,"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.read(file));
        assertEquals(file + ": line 3, column 'length': 'lots' is not an integer", e.getMessage());

        Files.writeString(file, text.replace(",measured,cpu,,cpu,stories15M,real,f32,random,snapkv,im,",
                ",guessed,cpu,,cpu,stories15M,real,f32,random,snapkv,im,"));
        e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.read(file));
        assertEquals(file + ": line 3: source must be 'measured' or 'modeled', got 'guessed'", e.getMessage());

        Files.writeString(file, text + "fig4,measured,cpu\n");
        e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.read(file));
        assertEquals(file + ": line 4: 3 columns, expected 26", e.getMessage());
    }
}
