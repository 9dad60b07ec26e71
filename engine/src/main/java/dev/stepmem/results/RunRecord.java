package dev.stepmem.results;

import dev.stepmem.prefill.PrefillSettings;
import java.util.List;

/**
 * One run as one wide row, the same columns for every command that writes runs (sweep, frontier,
 * prefill --csv, CostModelCheck). The figures' long-format schema is {@link ResultRow}; the sweep
 * runner converts these runs into it. {@code source} says whether TTFT was {@code measured} on real
 * hardware or {@code modeled} by the simulated device; {@code profile} and {@code profileSha256}
 * name the device profile (for a measured row, the profile its device matched, if any).
 *
 * @param ttftMs      TTFT in ms; NaN when the run ran out of memory
 * @param peakBytes   the ledger's peak (for an OOM row, what was held when it failed)
 * @param neededBytes for an OOM row, the bytes the failing allocation needed; else the peak
 */
public record RunRecord(String source, String backend, String profile, String profileSha256, String model,
                        String weights, String dtype, PrefillSettings settings, String methodLabel, double ttftMs,
                        long peakBytes, boolean oom, long neededBytes, long capacityBytes, String timestamp) {

    public static final List<String> HEADER = List.of("source", "backend", "profile", "profile_sha256", "model",
            "weights", "dtype", "method", "function", "compressor", "attention", "length", "chunk", "memory",
            "ttft_ms", "peak_bytes", "oom", "needed_bytes", "capacity_bytes", "timestamp");

    public List<Object> values() {
        boolean fm = settings.method() == dev.stepmem.prefill.Method.FM;
        return List.of(source, backend, profile, profileSha256, model, weights, dtype, methodLabel,
                fm ? "" : settings.function(), settings.compressor().name(), settings.attention().cliName(),
                settings.length(), settings.chunk(), settings.memory(),
                Double.isNaN(ttftMs) ? "" : String.format(java.util.Locale.ROOT, "%.3f", ttftMs), peakBytes, oom,
                neededBytes, capacityBytes == Long.MAX_VALUE ? "" : capacityBytes, timestamp);
    }
}
