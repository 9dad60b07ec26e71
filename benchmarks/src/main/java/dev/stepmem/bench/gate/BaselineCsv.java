package dev.stepmem.bench.gate;

import dev.stepmem.io.AtomicFile;
import dev.stepmem.results.CsvCells;
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
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The committed baseline file ({@code results/ttft-baseline.csv}): one row per (device key,
 * configuration). A refresh replaces one device's rows and keeps the others', through a temp file
 * and a rename, so the file is never half-written. Bad content names the file, line and column.
 */
final class BaselineCsv {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private BaselineCsv() {
    }

    /** Every row, or empty when the file does not exist. */
    static Optional<List<Baseline>> read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = FORMAT.parse(in)) {
            List<Baseline> rows = new ArrayList<>();
            boolean header = true;
            for (CSVRecord r : parser) {
                long line = parser.getCurrentLineNumber();
                if (header) {
                    checkHeader(file, r);
                    header = false;
                } else {
                    rows.add(parse(file, line, r));
                }
            }
            if (header) {
                throw new GateException(file + ": empty, expected the header " + String.join(",", Baseline.COLUMNS));
            }
            return Optional.of(rows);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new GateException(file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) { // commons-csv wraps syntax errors (e.g. an unclosed quote)
            throw new GateException(file + ": not a valid CSV file: " + e.getCause().getMessage(), e);
        }
    }

    /** Replaces the rows of the device keys in {@code fresh} and keeps every other device's rows. */
    static void replaceDevice(Path file, List<Baseline> fresh) {
        List<Baseline> all = new ArrayList<>();
        List<String> keys = fresh.stream().map(Baseline::deviceKey).distinct().toList();
        read(file).ifPresent(old -> old.stream().filter(b -> !keys.contains(b.deviceKey())).forEach(all::add));
        all.addAll(fresh);
        write(file, all);
    }

    static void write(Path file, List<Baseline> rows) {
        AtomicFile.write(file, stream -> {
            Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            CSVPrinter p = new CSVPrinter(out, FORMAT);
            p.printRecord(Baseline.COLUMNS);
            for (Baseline b : rows) {
                p.printRecord(b.deviceKey(), b.config(), number(b.normalized()), number(b.runSpread()),
                        number(b.roundSpread()), b.runs(), b.rounds(), String.format(Locale.ROOT, "%.3f", b.ttftMs()),
                        String.format(Locale.ROOT, "%.3f", b.calibrationMs()), b.calibrationId(), b.threads(), b.gitCommit(),
                        b.machine(), b.jvm(), b.timestamp());
            }
            p.flush();
        });
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    private static void checkHeader(Path file, CSVRecord r) {
        try {
            CsvCells.checkHeader(file, r, Baseline.COLUMNS, "a TTFT gate baseline");
        } catch (IllegalArgumentException e) {
            throw new GateException(e.getMessage(), e); // a bad baseline means no verdict: exit 3
        }
    }

    private static Baseline parse(Path file, long line, CSVRecord r) {
        if (r.size() != Baseline.COLUMNS.size()) {
            throw new GateException(file + ": line " + line + ": " + r.size() + " columns, expected "
                    + Baseline.COLUMNS.size() + " (" + String.join(",", Baseline.COLUMNS) + ")");
        }
        CsvCells c = new CsvCells(file, line, r, Baseline.COLUMNS);
        Baseline b;
        try {
            b = new Baseline(c.text(0), c.text(1), c.positive(2), c.finite(3), c.finite(4), c.integer(5),
                    c.integer(6), c.finite(7), c.finite(8), c.text(9), c.integer(10), c.text(11), c.text(12),
                    c.text(13), c.text(14));
        } catch (IllegalArgumentException e) {
            throw new GateException(e.getMessage(), e); // a bad baseline means no verdict: exit 3
        }
        if (b.deviceKey().isBlank() || b.config().isBlank()) {
            throw new GateException(file + ": line " + line + ": device_key and config must not be empty");
        }
        return b;
    }
}
