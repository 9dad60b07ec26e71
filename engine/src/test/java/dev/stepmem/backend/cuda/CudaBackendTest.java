package dev.stepmem.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.gpu.DeviceUnavailableException;
import dev.stepmem.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * On machines without an NVIDIA driver or GPU (all of this project's), the cuda backend must say
 * so in one line, every time it is asked, and the CLI must print that line without a stack trace.
 * On a machine with a GPU these tests are not the ones that matter: they are skipped there.
 */
class CudaBackendTest {

    private static boolean cudaPresent() {
        try {
            CudaDevices.list();
            return true;
        } catch (DeviceUnavailableException e) {
            return false;
        }
    }

    @Test
    void reportsNoDeviceInOneLineEveryTime() {
        org.junit.jupiter.api.Assumptions.assumeFalse(cudaPresent(), "a CUDA device is present");
        for (int attempt = 0; attempt < 2; attempt++) { // the second touch of JCuda is a NoClassDefFoundError
            var e = assertThrows(DeviceUnavailableException.class, () -> CudaBackend.open(null, new MemoryLedger()));
            assertTrue(e.getMessage().startsWith("no CUDA device: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
            System.out.println("cuda backend here: " + e.getMessage());
        }
    }

    @Test
    void cliSaysNoDeviceWithoutAStackTrace() {
        org.junit.jupiter.api.Assumptions.assumeFalse(cudaPresent(), "a CUDA device is present");
        ByteArrayOutputStream err = new ByteArrayOutputStream(), out = new ByteArrayOutputStream();
        PrintStream oldErr = System.err, oldOut = System.out;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run("prefill", "--backend", "cuda", "-L", "64", "-c", "32", "--memory", "16");
            Main.run("devices");
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        String e = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(3, code, "a missing device: cannot run here; " + e);
        assertTrue(e.startsWith("error: no CUDA device: ") && !e.contains("\n"), "one line: " + e);
        String listing = out.toString(StandardCharsets.UTF_8);
        assertTrue(listing.contains("cuda:\n  no CUDA device: "), listing);
        System.out.print(listing);
    }
}
