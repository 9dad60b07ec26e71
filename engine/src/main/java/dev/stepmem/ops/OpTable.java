package dev.stepmem.ops;

import dev.stepmem.io.AtomicFile;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The harness's results as a fixed-width table (one row per op and backend) and as a CSV file. */
public final class OpTable {
    private static final String ROW = "%-23s %-40s %-16s %8s %6s %-4s %6s %10s %9s %8s  %-12s %9s %7s %9s%n";
    static final List<String> CSV_COLUMNS = List.of("op", "shape", "operands", "backend", "device", "error",
            "tolerance", "passed", "median_ms", "repeats", "gflops", "gbps", "profile", "modeled_ms", "of_model",
            "to_device", "to_device_bytes", "to_host", "to_host_bytes");

    private OpTable() {
    }

    public static void header(PrintStream out) {
        out.printf(Locale.ROOT, ROW, "op", "shape", "backend", "error", "tol", "ok", "calls", "median ms", "GFLOP/s",
                "GB/s", "profile", "model ms", "of model", "copies");
    }

    /** One row; "copies" is the host-device copies of one call, to device / to host. */
    public static void row(PrintStream out, OpResult r) {
        double ms = r.medianNanos() / 1e6;
        out.printf(Locale.ROOT, ROW, r.op().op(), r.op().shape(), r.backend(), String.format(Locale.ROOT, "%.1e",
                        r.error()), String.format(Locale.ROOT, "%.0e", r.tolerance()), r.passed() ? "ok" : "FAIL",
                r.repeats(), fixed(ms), fixed(r.gflops()), fixed(r.gbytesPerSecond()),
                r.profile().isEmpty() ? "-" : r.profile(),
                Double.isNaN(r.modeledNanos()) ? "-" : fixed(r.modeledNanos() / 1e6),
                Double.isNaN(r.modeledNanos()) ? "-" : String.format(Locale.ROOT, "%.2f", r.ofModel()),
                r.transfers().toDevice() + "/" + r.transfers().toHost());
    }

    /** Three significant digits without an exponent for the usual ranges. */
    private static String fixed(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 1 ? String.format(Locale.ROOT, "%.2f", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }

    /** All results into a CSV file (written whole, then renamed into place). */
    public static void writeCsv(Path file, List<OpResult> results) {
        AtomicFile.write(file, stream -> {
            PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8));
            w.println(String.join(",", CSV_COLUMNS));
            for (OpResult r : results) {
                w.println(String.join(",", quote(r.op().op()), quote(r.op().shape()),
                        r.op().operands().name().toLowerCase(Locale.ROOT), r.backend(), quote(r.device()),
                        Double.toString(r.error()), Double.toString(r.tolerance()), Boolean.toString(r.passed()),
                        Double.toString(r.medianNanos() / 1e6), Integer.toString(r.repeats()),
                        Double.toString(r.gflops()), Double.toString(r.gbytesPerSecond()), r.profile(),
                        Double.toString(r.modeledNanos() / 1e6), Double.toString(r.ofModel()),
                        Long.toString(r.transfers().toDevice()), Long.toString(r.transfers().toDeviceBytes()),
                        Long.toString(r.transfers().toHost()), Long.toString(r.transfers().toHostBytes())));
            }
            w.flush();
        });
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
