package dev.stepmem.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Appends {@link RunRecord}s to a CSV file, writing the header when the file is new or empty. */
public final class RunRecordCsv {
    private RunRecordCsv() {
    }

    public static void append(Path file, List<RunRecord> rows) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
                 CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT)) {
                if (fresh) {
                    p.printRecord(RunRecord.HEADER);
                }
                for (RunRecord r : rows) {
                    p.printRecord(r.values());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + file + ": " + e.getMessage(), e);
        }
    }
}
