package dev.stepmem.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oclgrind (an OpenCL simulator that checks every memory access) runs every kernel with data-race
 * detection and API checks on, and must report nothing; and it must flag rmsnorm with a barrier
 * removed, which proves the check can fail (PoCL runs that kernel without complaint).
 *
 * <p>The kernels run in a child JVM ({@link OclgrindHarness}) whose ICD loader sees only
 * Oclgrind's platform (OCL_ICD_VENDORS), with OCLGRIND_DATA_RACES=1 and OCLGRIND_CHECK_API=1 and
 * Oclgrind's messages written to a log file that must stay empty.
 */
class OclgrindTest {
    static final Path ICD = Path.of(System.getenv().getOrDefault("STEPMEM_OCLGRIND_ICD",
            "/usr/lib/oclgrind/liboclgrind-rt-icd.so"));

    @TempDir
    Path dir;

    @BeforeAll
    static void oclgrindInstalled() {
        if (!Files.exists(ICD)) {
            String why = "Oclgrind is not installed (" + ICD + " missing; Debian: apt-get install oclgrind)";
            if ("1".equals(System.getenv(OpenClTestDevice.REQUIRE))) {
                throw new AssertionError(OpenClTestDevice.REQUIRE + "=1 but " + why);
            }
            throw new org.opentest4j.TestAbortedException(why);
        }
    }

    @Test
    void everyKernelRunsCleanUnderRaceDetection() throws Exception {
        Run run = harness("kernels");
        assertEquals("", run.oclgrindLog(), "Oclgrind reported problems:\n" + run.oclgrindLog());
        assertEquals(0, run.exitCode(), "harness output:\n" + run.output());
        assertTrue(run.output().contains("all results match the reference"), run.output());
        assertTrue(run.output().contains("device: OpenCL: Oclgrind"), "ran on Oclgrind:\n" + run.output());
    }

    @Test
    void aRemovedBarrierIsFlaggedAsADataRace() throws Exception {
        Run run = harness("broken-barrier");
        assertTrue(run.output().contains("ran rmsnorm with its reduction barrier removed"), run.output());
        assertTrue(run.oclgrindLog().contains("data race"), "Oclgrind must flag the race; its log:\n"
                + run.oclgrindLog() + "\noutput:\n" + run.output());
    }

    private record Run(int exitCode, String output, String oclgrindLog) {
    }

    private Run harness(String mode) throws IOException, InterruptedException {
        Path vendors = Files.createDirectories(dir.resolve("vendors"));
        Files.writeString(vendors.resolve("oclgrind.icd"), ICD + "\n");
        Path log = dir.resolve("oclgrind.log");
        Path out = dir.resolve("harness.out");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                OclgrindHarness.class.getName(), mode));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("OCL_ICD_VENDORS", vendors.toString());
        pb.environment().put("OCLGRIND_DATA_RACES", "1");
        pb.environment().put("OCLGRIND_CHECK_API", "1");
        pb.environment().put("OCLGRIND_LOG", log.toString());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the Oclgrind harness did not finish in 10 minutes");
        }
        String output = Files.readString(out);
        System.out.println("Oclgrind harness (" + mode + "):\n" + output);
        return new Run(p.exitValue(), output, Files.exists(log) ? Files.readString(log).strip() : "");
    }
}
