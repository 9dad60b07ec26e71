package dev.stepmem.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.exit.CannotRunHereException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes on one results file: a clean refusal naming the writer, or every row exactly once. */
class ResultsLockTest {
    @TempDir
    Path dir;

    private static ProcessBuilder child(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ResultsWriterProcess.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    }

    @Test
    void aSecondWriterIsRefusedAtOnceNamingTheFirstAndGetsTheLockWhenItEnds() throws Exception {
        Path results = dir.resolve("results.csv");
        Process holder = child("hold", results.toString()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            CannotRunHereException e = assertThrows(CannotRunHereException.class,
                    () -> ResultsLock.acquire(results, Duration.ZERO, "second"));
            assertTrue(e.getMessage().startsWith(results + " is being written by another run: pid " + holder.pid()
                    + " (test holder) since "), e.getMessage());
        } finally {
            holder.getOutputStream().close(); // the holder lets go
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(0, holder.exitValue());
        try (ResultsLock lock = ResultsLock.acquire(results, Duration.ZERO, "second")) {
            assertTrue(Files.readString(ResultsLock.lockFile(results)).contains("(second)"));
        }
    }

    @Test
    void twoAppendersOnOneNewFileWriteOneHeaderAndEveryRowOnce() throws Exception {
        Path csv = dir.resolve("runs.csv");
        int each = 25;
        Process a = child("append", csv.toString(), "a", Integer.toString(each)).start();
        Process b = child("append", csv.toString(), "b", Integer.toString(each)).start();
        assertTrue(a.waitFor(60, TimeUnit.SECONDS) && b.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, a.exitValue());
        assertEquals(0, b.exitValue());
        List<String> lines = Files.readAllLines(csv);
        String header = String.join(",", RunRecord.HEADER);
        assertEquals(1, lines.stream().filter(header::equals).count(), "one header: " + lines.subList(0, 3));
        assertEquals(header, lines.get(0));
        Set<String> seen = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            assertTrue(seen.add(cells[4] + "/" + cells[11]), "a row twice: " + line); // model (a|b) / length
        }
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < each; i++) {
            expected.add("a/" + (100 + i));
            expected.add("b/" + (100 + i));
        }
        assertEquals(expected, seen, "no row lost");
    }

    @Test
    void appendingToAFileOfAnotherSchemaIsRefusedAndLeavesItAlone() throws Exception {
        Path results = dir.resolve("results.csv");
        ResultsCsv.write(results, List.of(ResultsCsvTest.row("fm", "ttft_ms", 1)));
        byte[] before = Files.readAllBytes(results);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunRecordCsv.append(results, List.of(ResultsWriterProcess.record("x", 0))));
        assertEquals(results + ": is a stepmem results file (26 columns, the sweeps' schema), not a stepmem "
                + "run-record CSV (prefill/sweep --csv) (20 columns); refusing to append to it", e.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(results)));
        Path torn = Files.writeString(dir.resolve("torn.csv"), String.join(",", RunRecord.HEADER) + "\nmodeled,sim");
        e = assertThrows(IllegalArgumentException.class, () -> RunRecordCsv.checkAppendable(torn));
        assertTrue(e.getMessage().contains("no final newline"), e.getMessage());
    }
}
