package dev.stepmem.datasets.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The datasets command line as a user meets it: help, exit codes, one-line errors. */
class DatasetsCliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = DatasetsMain.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : new String[]{"build", "stats", "sample"}) {
            Run r = run(c, "--help");
            assertEquals(0, r.code(), c);
            assertTrue(r.out().contains("Usage: datasets " + c), r.out());
        }
    }

    @Test
    void withoutAptGetTheBuildFailsInOneLineAndLeavesNothing() {
        System.setProperty("stepmem.apt-get", tmp.resolve("no-apt-get").toString());
        try {
            Run r = run("build", "--data", tmp.resolve("data").toString(), "--domain", "books");
            assertEquals(1, r.code());
            assertTrue(r.err().contains("error: cannot run `" + tmp.resolve("no-apt-get") + " download r-cran-janeaustenr`: "
                    + "apt-get is not installed"), r.err());
            assertFalse(r.err().contains("\tat dev.stepmem"), "no stack trace: " + r.err());
            assertFalse(Files.exists(tmp.resolve("data/documents/manifest.json")));
            assertFalse(Files.exists(tmp.resolve("data/packages/trees/r-cran-janeaustenr")));
        } finally {
            System.clearProperty("stepmem.apt-get");
        }
    }

    @Test
    void badInputGivesOneLineErrors() throws Exception {
        Run unknown = run("build", "--data", tmp.toString(), "--domain", "wiki");
        assertEquals(2, unknown.code(), "a bad flag value is a usage error");
        assertTrue(unknown.err().startsWith("error: unknown domain 'wiki'"), unknown.err());
        Run nothing = run("stats", "--data", tmp.resolve("empty").toString());
        assertTrue(nothing.err().contains("nothing built in") && nothing.code() == 1, nothing.err());
        Path bad = Files.writeString(tmp.resolve("bad.jsonl"), "{\"text\": \"a\"}\n{text: b}\n");
        Run malformed = run("stats", "--jsonl", bad.toString());
        assertEquals(1, malformed.code());
        assertTrue(malformed.err().startsWith("error: " + bad + ":2: not a valid JSON line"), malformed.err());
        Path good = Files.writeString(tmp.resolve("good.jsonl"), "{\"text\": \"abc\"}\n{\"text\": \"de\"}\n");
        Run stats = run("stats", "--jsonl", good.toString());
        assertEquals(0, stats.code(), stats.err());
        assertTrue(stats.out().contains("2 documents, 5 bytes, longest 3 bytes"), stats.out());
        Run both = run("sample", "--domain", "github", "--jsonl", good.toString());
        assertEquals(2, both.code(), "--domain and --jsonl exclude each other");
    }
}
