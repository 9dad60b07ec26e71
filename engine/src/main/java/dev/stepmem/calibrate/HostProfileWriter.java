package dev.stepmem.calibrate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Writes the cpu-host profile from a calibration: rates are what this engine's CPU backend
 * reached (so the achievable fractions of matmul and bandwidth are 1: the rate is already the
 * achieved one), attention fractions are relative to the fp32 GEMM rate. Written to a temp file
 * and renamed into place, so a profile is never half-written.
 */
public final class HostProfileWriter {
    private HostProfileWriter() {
    }

    public static String render(HostCalibration.Measured m, HostInfo host) {
        double tensorBase = m.fp32Gemm();
        String date = LocalDate.now().toString();
        String measured = "measured by 'stepmem calibrate' on " + date + " (" + host.cpuName() + ", " + m.threads()
                + " threads)";
        return String.join("\n",
                "# This machine's CPU as the cost model sees it. Written by 'stepmem calibrate'; rerun it on another",
                "# machine. Rates are what the CPU backend achieved (medians), so matmul and bandwidth fractions are",
                "# 1; the attention fractions are the attention ops' rates over the fp32 GEMM rate. bf16/fp16",
                "# 'tensor' rates are GEMMs with bf16/fp16 weights (widened to fp32 in the kernel).",
                "name = \"cpu-host\"",
                "device = " + quote(host.cpuName()),
                "kind = \"cpu\"",
                "match = " + quote(Pattern.quote(host.cpuName())),
                "",
                "memory_total = " + quote(gib(host.memTotal())),
                "memory_usable = " + quote(gib(host.memAvailable())),
                "bf16_tensor = " + quote(gflops(m.bf16Gemm())),
                "fp16_tensor = " + quote(gflops(m.f16Gemm())),
                "fp32 = " + quote(gflops(m.fp32Gemm())),
                "bandwidth = " + quote(String.format(Locale.ROOT, "%.2f GB/s", m.bandwidth() / 1e9)),
                "launch_overhead = " + quote(String.format(Locale.ROOT, "%.2f us", m.launchOverhead() * 1e6)),
                "matmul_overhead = " + quote(String.format(Locale.ROOT, "%.2f us", m.matmulOverhead() * 1e6)),
                "",
                "[achievable]",
                "matmul = 1.0",
                "flash_attention = " + fraction(m.flashAttention() / tensorBase),
                "eager_attention = " + fraction(m.eagerAttention() / tensorBase),
                "bandwidth = 1.0",
                "",
                "[sources]",
                "memory_total = " + quote("/proc/meminfo MemTotal, " + date),
                "memory_usable = " + quote("/proc/meminfo MemAvailable at calibration, " + date),
                "bf16_tensor = " + quote(measured + ": CpuBackend.matmul, bf16 weights, [256, 4096] x [4096|11008, 4096]^T"),
                "fp16_tensor = " + quote(measured + ": CpuBackend.matmul, fp16 weights, same shapes"),
                "fp32 = " + quote(measured + ": CpuBackend.matmul, fp32 weights, same shapes"),
                "bandwidth = " + quote(measured + ": CpuBackend.add over two [4096, 4096] fp32 buffers, 3 passes"),
                "launch_overhead = " + quote(measured + ": a [64, 8] rmsnorm through the worker pool"),
                "matmul_overhead = " + quote(measured + ": fp32 GEMMs of one stories15M chunk ([128, 288] x "
                        + "[288|768, 288]^T, [128, 768] x [288, 768]^T), median time beyond the fp32 GEMM rate and "
                        + "the launch overhead"),
                "achievable = " + quote(measured + ": flash and eager attention with 6 heads of 48 and 32 heads of 128 "
                        + "(geometric mean), rates counted by OpCost, over the fp32 GEMM rate"),
                "");
    }

    /** Writes atomically: temp file in the same folder, then rename over the old profile. */
    public static void write(Path file, String text) {
        dev.stepmem.io.AtomicFile.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / 0x1p30);
    }

    private static String gflops(double rate) {
        return String.format(Locale.ROOT, "%.2f GFLOPS", rate / 1e9);
    }

    private static String fraction(double f) {
        return String.format(Locale.ROOT, "%.4f", Math.min(1.0, f));
    }
}
