package dev.stepmem.bench.gate;

import dev.stepmem.io.AtomicFile;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The record of gate runs ({@code --record FILE}): one row per configuration per run, with its
 * ratio to the baseline and the run's verdict; the spread and stability figures of
 * docs/ttft-gate.md are read from it ({@code TtftGate spread}). Appends rewrite the file through a
 * temp file and a rename, so a killed run leaves the old file or the new one.
 */
final class GateRunsCsv {
    static final List<String> COLUMNS = List.of("run", "note", "git_commit", "device_key", "config", "normalized",
            "ttft_ms", "calibration_ms", "rounds", "baseline", "ratio", "verdict", "geomean", "outcome",
            "test_slowdown", "machine");
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    /** One row: {@code run} is the run's start time (it groups a run's rows); text cells as written. */
    record Row(String run, String note, String gitCommit, String deviceKey, String config, double normalized,
               double ttftMs, double calibrationMs, int rounds, double baseline, double ratio, String verdict,
               double geomean, String outcome, int testSlowdown, String machine) {
        List<Object> cells() {
            return List.of(run, note, gitCommit, deviceKey, config, num(normalized), num(ttftMs), num(calibrationMs),
                    rounds, num(baseline), num(ratio), verdict, num(geomean), outcome, testSlowdown, machine);
        }

        private static String num(double v) {
            return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.6f", v) : "";
        }
    }

    private GateRunsCsv() {
    }

    static List<Row> read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = FORMAT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            if (!parser.getHeaderNames().equals(COLUMNS)) {
                throw new GateException(file + ": line 1: expected the header " + String.join(",", COLUMNS)
                        + ", found " + String.join(",", parser.getHeaderNames()));
            }
            List<Row> rows = new ArrayList<>();
            for (CSVRecord r : parser) {
                if (r.size() != COLUMNS.size()) {
                    throw new GateException(file + ": line " + parser.getCurrentLineNumber() + ": " + r.size()
                            + " columns, expected " + COLUMNS.size());
                }
                Cells c = new Cells(file, parser.getCurrentLineNumber(), r);
                rows.add(new Row(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), c.decimal(5), c.decimal(6),
                        c.decimal(7), (int) c.decimal(8), c.decimal(9), c.decimal(10), r.get(11), c.decimal(12),
                        r.get(13), (int) c.decimal(14), r.get(15)));
            }
            return rows;
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        } catch (IOException e) {
            throw new GateException(file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new GateException(file + ": not a valid CSV file: " + e.getCause().getMessage(), e);
        }
    }

    static synchronized void append(Path file, List<Row> rows) {
        List<Row> all = read(file);
        all.addAll(rows);
        AtomicFile.write(file, stream -> {
            Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            CSVPrinter p = new CSVPrinter(out, FORMAT);
            p.printRecord(COLUMNS);
            for (Row r : all) {
                p.printRecord(r.cells());
            }
            p.flush();
        });
    }

    private record Cells(Path file, long line, CSVRecord r) {
        /** A number, or NaN for an empty cell (a configuration without baseline has no ratio). */
        double decimal(int i) {
            String s = r.get(i);
            if (s.isEmpty()) {
                return Double.NaN;
            }
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new GateException(file + ": line " + line + ", column '" + COLUMNS.get(i) + "': '" + s
                        + "' is not a number");
            }
        }
    }
}
