package dev.stepmem.bench.gate;

import dev.stepmem.io.AtomicFile;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Every measured round of a run ({@code --dump-rounds FILE}), appended: for looking into noise, not read back. */
final class GateRoundsCsv {
    private static final String[] HEADER = {"run", "config", "round", "ttft_ms", "calibration_ms", "normalized"};

    private GateRoundsCsv() {
    }

    static synchronized void append(Path file, GateMeasurement g) {
        String old;
        try {
            old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String run = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        AtomicFile.write(file, stream -> {
            Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            out.write(old);
            CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
            if (old.isEmpty()) {
                p.printRecord((Object[]) HEADER);
            }
            for (GateMeasurement.Row r : g.rows()) {
                for (int i = 0; i < r.rounds(); i++) {
                    p.printRecord(run, r.config(), i, String.format(Locale.ROOT, "%.3f", r.ttftMs()[i]),
                            String.format(Locale.ROOT, "%.3f", r.calibrationMs()[i]),
                            String.format(Locale.ROOT, "%.4f", r.normalized()[i]));
                }
            }
            p.flush();
        });
    }
}
