package dev.stepmem.bench.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TtftGateCliTest {
    private record Result(int code, String out, String err) {
    }

    private static Result gate(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = TtftGate.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        Result r = gate("--help");
        assertEquals(0, r.code());
        for (String word : new String[] {"check", "self-check", "refresh", "Exit codes: 0 pass; 1 regression"}) {
            assertTrue(r.out().contains(word), word + " in:\n" + r.out());
        }
    }

    @Test
    void usageErrorsAreOneLineWithAPointerToHelpAndExit2() {
        for (String[] args : new String[][] {{"--bogus"}, {"check", "--forks", "x"}, {"refresh"},
                {"self-check", "--runs", "0"}, {"check", "--iterations", "0"}}) {
            Result r = gate(args);
            assertEquals(GateException.USAGE, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("error: "), r.err());
        }
        assertTrue(gate("--bogus").err().contains("(see bin/ttft-gate check --help)"));
    }

    @Test
    void noPinnedReferenceMeansNoVerdict(@TempDir Path root) {
        String before = System.getProperty("stepmem.root");
        System.setProperty("stepmem.root", root.toString());
        try {
            Result r = gate("check");
            assertEquals(GateException.NO_VERDICT, r.code());
            assertTrue(r.err().contains("no reference commit is pinned"), r.err());
        } finally {
            if (before == null) {
                System.clearProperty("stepmem.root");
            } else {
                System.setProperty("stepmem.root", before);
            }
        }
    }
}
