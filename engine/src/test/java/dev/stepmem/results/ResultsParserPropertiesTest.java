package dev.stepmem.results;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.fuzz.ByteMutations;
import dev.stepmem.fuzz.ParserProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: a results CSV or run-record CSV of any bytes is either read (and then every row is
 * one the strict reader trusts) or refused with one line naming the file.
 */
class ResultsParserPropertiesTest {
    @TempDir
    Path dir;

    @Test
    void anyResultsFileIsReadAsTrustedRowsOrRefusedByName() throws Exception {
        Path valid = dir.resolve("valid.csv");
        ResultsCsv.write(valid, List.of(ResultsCsvTest.row("fm", "ttft_ms", 1234.5), ResultsCsvTest.row("imdc",
                "ttft_ms", Double.NaN, "oom"), ResultsCsvTest.row("im", "memory_fraction", 0.25)));
        int refused = ParserProperty.holds(ByteMutations.of(Files.readAllBytes(valid), 500, 40), dir.resolve("r.csv"),
                f -> ResultsCsv.read(f).forEach(r -> {
                    if (ResultRowChecks.problem(r) != null) {
                        throw new AssertionError("read a row it should refuse: " + r);
                    }
                }), IllegalArgumentException.class);
        assertTrue(refused > 300, refused + " of 500 refused");
    }

    @Test
    void anyRunRecordFileIsAppendableOrRefusedByName() throws Exception {
        Path valid = dir.resolve("valid.csv");
        RunRecordCsv.append(valid, List.of(ResultsWriterProcess.record("a", 0), ResultsWriterProcess.record("b", 1)));
        int refused = ParserProperty.holds(ByteMutations.of(Files.readAllBytes(valid), 300, 41), dir.resolve("runs.csv"),
                RunRecordCsv::checkAppendable, IllegalArgumentException.class);
        assertTrue(refused > 100, refused + " of 300 refused");
    }
}
