package dev.stepmem.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.gpu.KernelCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA build (engine/src/main/cuda/build-ptx.sh, run by Maven): PTX for every kernel of every
 * program, a ptxas report for sm_80/86/90, failure when a hot kernel spills, and a build that
 * still succeeds, saying so, where nvcc is missing.
 */
class CudaBuildTest {
    static final Path SCRIPT = Path.of("src/main/cuda/build-ptx.sh");
    static final Path KERNELS = Path.of("src/main/resources/kernels");

    @TempDir
    Path dir;

    private static boolean nvccPresent() {
        return System.getenv("PATH") != null && java.util.Arrays.stream(System.getenv("PATH").split(":"))
                .anyMatch(p -> Files.isExecutable(Path.of(p, "nvcc")));
    }

    @Test
    void everyKernelHasPtxInTheBuildAndPtxasReportedNoSpills() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(nvccPresent(), "nvcc is not installed: no PTX is expected");
        Pattern entry = Pattern.compile("KERNEL void (\\w+)\\(");
        int kernels = 0;
        for (KernelCatalog.Program p : KernelCatalog.get().programs()) {
            byte[] ptx = CudaRuntime.ptx(p.name());
            String text = new String(ptx, 0, ptx.length - 1, StandardCharsets.US_ASCII);
            Matcher m = entry.matcher(KernelCatalog.resource(p.file()));
            while (m.find()) {
                assertTrue(text.contains(".entry " + m.group(1) + "("), p.name() + ".ptx has an entry for " + m.group(1));
                kernels++;
            }
        }
        assertTrue(kernels >= 20, "kernels found: " + kernels);
        Path report = Path.of("target/ptxas-report.txt");
        String r = Files.readString(report);
        for (String arch : List.of("sm_80", "sm_86", "sm_90")) {
            assertTrue(r.contains("gemm_bf16        gemm                             " + arch), r);
        }
        System.out.println(kernels + " kernels in PTX; " + report + ":\n" + r);
    }

    @Test
    void withoutNvccTheBuildSucceedsAndSaysCudaIsUnavailable() throws Exception {
        Result r = script(List.of("NVCC=" + dir.resolve("no-such-nvcc")));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("nvcc not found: the CUDA backend will be unavailable"), r.output());
    }

    @Test
    void aSpillInAHotKernelFailsTheBuild() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(nvccPresent(), "nvcc is not installed");
        Path fake = dir.resolve("ptxas");
        Files.writeString(fake, """
                #!/bin/bash
                if [[ "$1" == --version ]]; then echo "fake ptxas"; exit 0; fi
                echo "ptxas info    : Function properties for gemm" >&2
                echo "    16 bytes stack frame, 8 bytes spill stores, 12 bytes spill loads" >&2
                echo "ptxas info    : Used 255 registers, used 1 barriers, 4224 bytes smem, 388 bytes cmem[0]" >&2
                """);
        assertTrue(fake.toFile().setExecutable(true));
        Result r = script(List.of("PTXAS=" + fake));
        assertEquals(1, r.code(), r.output());
        assertTrue(r.output().contains("hot kernel gemm_f32/gemm spills on sm_80 (8 bytes stored, 12 loaded)"), r.output());
    }

    private record Result(int code, String output) {
    }

    private Result script(List<String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), KERNELS.toString(), dir.resolve("out").toString(),
                dir.resolve("report.txt").toString()).redirectErrorStream(true);
        for (String e : env) {
            pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "build-ptx.sh finished");
        return new Result(p.exitValue(), out);
    }
}
