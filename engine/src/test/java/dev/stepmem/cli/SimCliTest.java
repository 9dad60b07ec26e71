package dev.stepmem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.profiles.ProfileTexts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sim backend and the profile commands as a user meets them. */
class SimCliTest {
    @TempDir
    Path dir;

    @Test
    void aProfileDroppedIntoTheFolderShowsUpInProfilesSweepAndFrontier() throws Exception {
        ProfileTexts.copyRepositoryProfiles(dir);
        Files.writeString(dir.resolve("my-new-gpu.toml"), ProfileTexts.valid("my-new-gpu", "20 GiB"));
        String folder = dir.toString();

        CliTest.Run list = CliTest.run("profiles", "--profiles-dir", folder);
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("my-new-gpu") && list.out().contains("a800-80gb"), list.out());

        CliTest.Run sweep = CliTest.run("sweep", "--profiles-dir", folder, "--models", "stories15m", "--dtype", "f32",
                "-L", "2048", "-c", "256", "--memories", "128", "--attention", "flash", "--compressor", "streamingllm");
        assertEquals(0, sweep.code(), sweep.err());
        assertTrue(sweep.out().contains("| my-new-gpu | stories15m | 2048 | 256 | 128 |"), sweep.out());
        assertTrue(sweep.out().contains("| rtx3090-24gb |"), "every profile of the folder: " + sweep.out());

        // frontier over every profile of a folder (two here, to keep full-attention searches short)
        Path small = Files.createDirectory(dir.resolve("small"));
        Files.copy(dir.resolve("rtx3090-24gb.toml"), small.resolve("rtx3090-24gb.toml"));
        Files.copy(dir.resolve("my-new-gpu.toml"), small.resolve("my-new-gpu.toml"));
        CliTest.Run frontier = CliTest.run("frontier", "--profiles-dir", small.toString(), "--model", "llama2-7b",
                "--methods", "full", "--max-length", "65536", "-c", "1024");
        assertEquals(0, frontier.code(), frontier.err());
        // 20 GiB - 12.55 GiB of weights: several thousand tokens of fp32 KV (1 MiB each) and buffers
        assertTrue(frontier.out().matches("(?s).*\\| my-new-gpu \\| 20\\.00 GiB \\| full \\| \\d{4} \\|.*"), frontier.out());
        assertTrue(frontier.out().contains("| rtx3090-24gb |"), frontier.out());
    }

    @Test
    void prefillOnTheSimReportsModeledRowsAndOom() throws Exception {
        Path csv = dir.resolve("rows.csv");
        CliTest.Run ok = CliTest.run("prefill", "--backend", "sim", "--profile", "a800-80gb", "--synthetic", "llama2-7b",
                "--dtype", "bf16", "-L", "32768", "-c", "1024", "--memory", "1024", "--method", "imdc",
                "--attention", "eager", "--csv", csv.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("source: modeled (not a measurement) on profile a800-80gb"), ok.out());
        CliTest.Run oom = CliTest.run("prefill", "--backend", "sim", "--profile", "rtx3090-24gb", "--synthetic",
                "llama2-7b", "--dtype", "bf16", "-L", "32768", "-c", "1024", "--memory", "1024", "--method", "fm",
                "--attention", "eager", "--csv", csv.toString());
        assertEquals(3, oom.code(), oom.err());
        assertTrue(oom.out().contains("OOM: out of device memory"), oom.out());
        var lines = Files.readAllLines(csv);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("source,backend,profile,profile_sha256"), lines.get(0));
        assertTrue(lines.get(1).startsWith("modeled,sim:a800-80gb,a800-80gb,") && lines.get(1).contains(",false,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("modeled,sim:rtx3090-24gb,rtx3090-24gb,") && lines.get(2).contains(",true,"), lines.get(2));
        CliTest.Run ppl = CliTest.run("prefill", "--backend", "sim", "--profile", "a800-80gb", "-L", "600", "--ppl");
        assertEquals(2, ppl.code());
        assertTrue(ppl.err().contains("--backend sim computes no values"), ppl.err());
    }

    @Test
    void theImplementationProfileChangesTheModeledRunAndIsListed() {
        String[] run = {"prefill", "--backend", "sim", "--profile", "a800-80gb", "--synthetic", "llama2-7b", "--dtype",
                "bf16", "-L", "4096", "-c", "1024", "--memory", "1024", "--attention", "eager", "--compressor", "snapkv"};
        CliTest.Run efficient = CliTest.run(run);
        String[] withReference = java.util.Arrays.copyOf(run, run.length + 2);
        withReference[run.length] = "--implementation";
        withReference[run.length + 1] = "reference-eager";
        CliTest.Run reference = CliTest.run(withReference);
        assertEquals(0, efficient.code(), efficient.err());
        assertEquals(0, reference.code(), reference.err());
        assertTrue(reference.out().contains("dispatch") && !efficient.out().contains("dispatch"),
                "only the reference charges framework dispatch:\n" + reference.out());
        assertTrue(reference.out().contains("reserve "), "the reference's reserve is a ledger category");
        CliTest.Run list = CliTest.run("profiles");
        assertTrue(list.out().contains("implementation profiles") && list.out().contains("reference-eager"), list.out());
        withReference[run.length + 1] = "nope";
        CliTest.Run bad = CliTest.run(withReference);
        assertEquals(1, bad.code(), "as for an unknown --profile");
        assertTrue(bad.err().contains("no implementation profile named 'nope'") && bad.err().contains("efficient, "
                + "reference-eager"), bad.err());
    }

    @Test
    void aBadProfileFolderIsOneLineNamingFileAndField() throws Exception {
        Files.writeString(dir.resolve("broken.toml"), ProfileTexts.valid("broken", "8 GB").replace("\"10 TFLOPS\"", "\"10 TFLOP\""));
        CliTest.Run r = CliTest.run("profiles", "--profiles-dir", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: profile " + dir + "/broken.toml: field 'fp32': unknown unit 'TFLOP'"), r.err());
    }
}
