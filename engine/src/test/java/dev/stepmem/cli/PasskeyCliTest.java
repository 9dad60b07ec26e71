package dev.stepmem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `stepmem passkey` and the compressors beyond the paper on the command line. */
class PasskeyCliTest {
    @TempDir
    Path dir;

    @Test
    void passkeyPrintsTheGridAndWritesItsCsv() throws Exception {
        Path csv = dir.resolve("passkey.csv");
        CliTest.Run r = CliTest.run("passkey", "--lengths", "160", "--depths", "0,1", "--trials", "1", "-c", "64",
                "--memory", "64", "--compressor", "h2o", "--csv", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("passkey: imdc/linear h2o c=64 m_max=64"), r.out());
        assertTrue(r.out().contains(" depth \\ L      160"), r.out());
        assertTrue(r.out().contains("exact-match accuracy") && r.out().contains("over 2 prompts"), r.out());
        assertTrue(r.err().contains("L=160 depth=1.00: "), r.err());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(3, rows.size(), rows.toString());
        assertEquals("length,depth,correct,trials,accuracy,method,function,compressor,chunk,memory", rows.get(0));
        assertTrue(rows.get(2).startsWith("160,1.0000,"), rows.get(2));
    }

    @Test
    void badGridValuesAreUsageErrors() {
        CliTest.Run depth = CliTest.run("passkey", "--depths", "0,1.5");
        assertEquals(2, depth.code(), depth.err());
        assertTrue(depth.err().contains("--depths: 1.5 is not in [0, 1]"), depth.err());
        CliTest.Run trials = CliTest.run("passkey", "--trials", "0");
        assertEquals(2, trials.code(), trials.err());
        CliTest.Run tooShort = CliTest.run("passkey", "--lengths", "40", "-c", "32", "--memory", "16");
        assertEquals(1, tooShort.code(), tooShort.err());
        assertTrue(tooShort.err().contains("a passkey prompt of 40 tokens is too short"), tooShort.err());
    }

    @Test
    void prefillRunsEveryNewCompressorByName() {
        for (String c : new String[] {"tova", "scissorhands", "knorm", "sage-kv", "pyramidkv:h2o", "random:2"}) {
            CliTest.Run r = CliTest.run("prefill", "-L", "300", "-c", "64", "--memory", "64", "--compressor", c);
            assertEquals(0, r.code(), c + ": " + r.err());
            assertTrue(r.out().contains(" " + c + " L=300 c=64 m_max=64"), r.out());
        }
    }
}
