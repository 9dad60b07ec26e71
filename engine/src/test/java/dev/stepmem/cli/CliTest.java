package dev.stepmem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit codes, one-line errors, streamed text. */
class CliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void generatePrintsTheStoryAndItsSpeed() {
        Run r = run("generate", "-p", "Once upon a time", "-n", "30");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Once upon a time, there was a little girl named Lily."), r.out());
        assertTrue(r.err().contains("tok/s"), r.err());
    }

    @Test
    void prefillPrintsTheScheduleTtftAndMemoryAndReportsOom() {
        Run r = run("prefill", "-L", "600", "-c", "128", "--memory", "64", "--method", "imdc", "--compressor", "streamingllm");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("imdc/linear streamingllm L=600 c=128 m_max=64"), r.out());
        assertTrue(r.out().contains("TTFT") && r.out().contains("peak memory"), r.out());
        Run oom = run("prefill", "-L", "600", "--memory-limit", "10MB");
        assertEquals(3, oom.code(), oom.err());
        assertTrue(oom.out().contains("OOM: out of device memory"), oom.out());
        Run bad = run("prefill", "-L", "4");
        assertEquals(2, bad.code(), "a bad flag value is a usage error");
        assertEquals("error: L (input length) must be at least 5: 4 attention sinks plus one token, got 4 "
                + "(see 'stepmem prefill --help')\n", bad.err());
        Run badSize = run("prefill", "-L", "600", "--memory-limit", "lots");
        assertTrue(badSize.err().contains("--memory-limit 'lots' is not a size"), badSize.err());
        Run eager = run("prefill", "-L", "600", "-c", "128", "--memory", "64", "--attention", "eager");
        assertEquals(0, eager.code(), eager.err());
        assertTrue(eager.out().contains("attention=eager") && eager.out().contains("scores "),
                "eager's kept maps show as the ledger's 'scores': " + eager.out());
        Run badMode = run("prefill", "-L", "600", "--attention", "sparse");
        assertEquals(2, badMode.code());
        assertTrue(badMode.err().contains("unknown attention mode 'sparse' (expected flash or eager)"), badMode.err());
    }

    @Test
    void infoDescribesStories15M() {
        Run r = run("info");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("dim / hidden  288 / 768") && r.out().contains("15.2M"), r.out());
    }

    @Test
    void badInputGivesOneLineErrorsAndExitCodes() throws Exception {
        Run empty = run("generate", "-p", "");
        assertEquals(1, empty.code());
        assertTrue(empty.err().startsWith("error: the prompt is empty"), empty.err());
        assertTrue(!empty.err().contains("at dev.stepmem"), "no stack trace: " + empty.err());

        Path junk = Files.write(dir.resolve("junk.bin"), new byte[100]);
        Run corrupt = run("generate", "-p", "hi", "-m", junk.toString());
        assertEquals(1, corrupt.code());
        assertTrue(corrupt.err().contains(junk.toString()) && corrupt.err().contains("not a llama2.c checkpoint"),
                corrupt.err());

        Run unknownPreset = run("info", "--synthetic", "gpt5");
        assertEquals(2, unknownPreset.code(), "a bad flag value is a usage error");
        assertTrue(unknownPreset.err().contains("unknown model preset 'gpt5'"), unknownPreset.err());

        Run both = run("info", "--synthetic", "stories15m", "-m", junk.toString());
        assertEquals(2, both.code(), "mutually exclusive options are a usage error");

        Run badBackend = run("generate", "-p", "hi", "--backend", "tpu");
        assertEquals(2, badBackend.code());
        assertTrue(badBackend.err().contains("unknown backend 'tpu'"), badBackend.err());
    }

    @Test
    void opsChecksAndTimesEveryBackendAskedForAndSaysWhichCannotOpen() {
        Path csv = dir.resolve("ops.csv");
        Run r = run("ops", "--backends", "cpu", "--ops", "matmul,rope", "--repeats", "1", "--min-ms", "0",
                "--csv", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("all 4 results within their tolerances"), r.out());
        assertTrue(r.out().contains("cpu-host"), "the CPU's predictions come from cpu-host: " + r.out());
        assertTrue(Files.exists(csv));
        Run cuda = run("ops", "--backends", "cuda", "--ops", "add");
        if (cuda.code() != 0) { // no CUDA device here: cannot run here, in one line
            assertEquals(3, cuda.code(), cuda.err());
            assertTrue(cuda.err().startsWith("error: --backends cuda: no CUDA"), cuda.err());
        }
        Run bad = run("ops", "--shapes", "huge");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown shapes 'huge'"), bad.err());
    }

    @Test
    void crosscheckComparesEverySettingAndFailsWhereNothingIsSelected() {
        Run r = run("crosscheck", "--backend", "reference", "--against", "cpu", "-L", "72", "-c", "20", "--memory", "16");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("all 12 settings match"), r.out());
        assertTrue(r.out().contains("imdc/linear streamingllm L=72 c=20 m_max=16 attention=eager"), r.out());
        // m_max >= L: nothing is ever evicted, so the comparison proves nothing and must not pass
        Run idle = run("crosscheck", "--backend", "cpu", "-L", "40", "-c", "20", "--memory", "64");
        assertEquals(1, idle.code(), idle.out());
        assertTrue(idle.out().contains("(no selection: raise L or lower m_max)"), idle.out());
    }
}
