package dev.stepmem.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads and writes the tidy results CSV ({@link ResultRow#COLUMNS}).
 *
 * <p>Crash safety: every append rewrites the file through a temp file in the same folder,
 * fsync, and an atomic rename, so a killed sweep leaves either the old or the new file, never a
 * torn row; a run's rows are appended together, so a run is either all in or all out, which is
 * what resuming by {@link ResultRow#runKey()} relies on. Results files hold thousands of rows,
 * not millions, so rewriting is cheap.
 */
public final class ResultsCsv {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private ResultsCsv() {
    }

    /**
     * Every row of a results file; a missing file has none. A file that cannot be trusted is
     * refused with its file, line and column: a byte-order mark, a foreign header, a last line
     * without its newline (a torn write), an unknown metric, a value that is not finite or outside
     * its metric's range ({@link ResultRowChecks}).
     */
    public static List<ResultRow> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException(file + ": empty, expected the header " + String.join(",", ResultRow.COLUMNS));
        }
        CsvCells.refuseByteOrderMark(file, bytes);
        if (bytes[bytes.length - 1] != '\n') {
            throw new IllegalArgumentException(file + ": the last line has no final newline (a torn or cut-off write; "
                    + "every row this suite writes ends with one)");
        }
        String text = CsvCells.utf8(file, bytes);
        try (CSVParser parser = FORMAT.parse(new java.io.StringReader(text))) {
            List<ResultRow> rows = new ArrayList<>();
            boolean header = true;
            for (CSVRecord r : parser) {
                long line = parser.getCurrentLineNumber();
                if (header) {
                    checkHeader(file, r);
                    header = false;
                    continue;
                }
                rows.add(parse(file, line, r));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) { // commons-csv wraps syntax errors (e.g. an unclosed quote)
            throw new IllegalArgumentException(file + ": not a valid CSV file: " + e.getCause().getMessage(), e);
        }
    }

    /** The run keys already in the file (for resuming a sweep). */
    public static Set<String> runKeys(Path file) {
        Set<String> keys = new LinkedHashSet<>();
        for (ResultRow r : read(file)) {
            keys.add(r.runKey());
        }
        return keys;
    }

    /** Adds one run's rows to the file, atomically (see the class comment). */
    public static synchronized void append(Path file, List<ResultRow> rows) {
        List<ResultRow> all = read(file);
        all.addAll(rows);
        write(file, all);
    }

    /** Replaces the file's content with these rows, atomically; a row the reader would refuse is never written. */
    public static void write(Path file, List<ResultRow> rows) {
        for (ResultRow r : rows) {
            String problem = ResultRowChecks.problem(r);
            if (problem != null) {
                throw new IllegalArgumentException("refusing to write a row to " + file + " that could not be read "
                        + "back: " + problem + " (" + r.runKey() + ", metric " + r.metric() + ")");
            }
        }
        dev.stepmem.io.AtomicFile.write(file, stream -> {
            Writer out = new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8);
            CSVPrinter p = new CSVPrinter(out, FORMAT);
            p.printRecord(ResultRow.COLUMNS);
            for (ResultRow r : rows) {
                p.printRecord(r.cells());
            }
            p.flush();
        });
    }

    private static void checkHeader(Path file, CSVRecord r) {
        CsvCells.checkHeader(file, r, ResultRow.COLUMNS, "a stepmem results file");
    }

    private static ResultRow parse(Path file, long line, CSVRecord r) {
        if (r.size() != ResultRow.COLUMNS.size()) {
            throw new IllegalArgumentException(file + ": line " + line + ": " + r.size() + " columns, expected "
                    + ResultRow.COLUMNS.size());
        }
        CsvCells c = new CsvCells(file, line, r, ResultRow.COLUMNS);
        ResultRow row;
        try {
            row = new ResultRow(c.text(0), c.text(1), c.text(2), c.text(3), c.text(4), c.text(5), c.text(6),
                    c.text(7), c.text(8), c.text(9), c.text(10), c.text(11), c.text(12), c.integer(13), c.integer(14),
                    c.integer(15), c.text(16), c.integer(17), c.integer(18), c.decimal(19), c.decimal(20),
                    c.integer(21), c.text(22), c.text(23), c.text(24), c.text(25));
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IllegalArgumentException(file + ": line " + line + ": " + e.getMessage(), e);
        }
        String problem = ResultRowChecks.problem(row);
        if (problem != null) {
            throw new IllegalArgumentException(file + ": line " + line + ", " + problem);
        }
        return row;
    }
}
