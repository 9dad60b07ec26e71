package dev.stepmem.results;

import dev.stepmem.io.AtomicFile;
import dev.stepmem.io.OutputChecks;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Appends {@link RunRecord}s to a CSV file (prefill and sweep --csv), writing the header when the
 * file is new. Safe against a second writer and a kill: the append runs under the file's
 * {@link ResultsLock} (so two appenders on a new file write one header and lose no row), and the
 * file is replaced atomically with its old bytes plus the new rows. A file of another schema is
 * refused, never appended to.
 */
public final class RunRecordCsv {
    /** How long an append waits for another appender (appends take milliseconds). */
    private static final Duration APPEND_WAIT = Duration.ofSeconds(30);
    private static final String KIND = "a stepmem run-record CSV (prefill/sweep --csv)";

    private RunRecordCsv() {
    }

    /** Refuses, before a run, a file this run could not append to: another schema, or not writable. */
    public static void checkAppendable(Path file) {
        OutputChecks.requireWritable(file, "--csv");
        existing(file);
    }

    public static void append(Path file, List<RunRecord> rows) {
        try (ResultsLock lock = ResultsLock.acquire(file, APPEND_WAIT, "appending " + rows.size() + " run records")) {
            byte[] old = existing(file);
            AtomicFile.write(file, out -> {
                out.write(old);
                Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                CSVPrinter p = new CSVPrinter(text, CSVFormat.DEFAULT);
                if (old.length == 0) {
                    p.printRecord(RunRecord.HEADER);
                }
                for (RunRecord r : rows) {
                    p.printRecord(r.values());
                }
                p.flush();
            });
        }
    }

    /** The file's bytes (none when it is missing or empty), after checking its header and its last newline. */
    private static byte[] existing(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            return bytes;
        }
        CsvCells.refuseByteOrderMark(file, bytes);
        if (bytes[bytes.length - 1] != '\n') {
            throw new IllegalArgumentException(file + ": the last line has no final newline (a torn or cut-off write); "
                    + "refusing to append after it");
        }
        try (CSVParser parser = CSVFormat.DEFAULT.parse(new StringReader(CsvCells.utf8(file, bytes)))) {
            CSVRecord header = parser.iterator().next();
            if (header.toList().equals(ResultRow.COLUMNS)) {
                throw new IllegalArgumentException(file + ": is a stepmem results file (" + ResultRow.COLUMNS.size()
                        + " columns, the sweeps' schema), not " + KIND + " (" + RunRecord.HEADER.size()
                        + " columns); refusing to append to it");
            }
            CsvCells.checkHeader(file, header, RunRecord.HEADER, KIND);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException(file + ": not a valid CSV file: " + e.getMessage(), e);
        }
        return bytes;
    }
}
