package dev.stepmem.profiles;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict parsing of the quantities in a device profile: a number, optional spaces, and a unit
 * from a closed list ("80 GB", "79 GiB", "312 TFLOPS", "2039 GB/s", "5 us"). Decimal prefixes
 * are powers of 1000, binary ones (KiB, MiB, GiB, TiB) powers of 1024. Anything else, a missing
 * unit included, is an error: a profile that says "80" could mean GB or GiB.
 */
public final class Units {
    private static final Pattern QUANTITY = Pattern.compile("([-+]?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\\s*(\\S+)");

    static final Map<String, Double> BYTES = Map.of("B", 1.0, "KB", 1e3, "MB", 1e6, "GB", 1e9, "TB", 1e12,
            "KiB", 0x1p10, "MiB", 0x1p20, "GiB", 0x1p30, "TiB", 0x1p40);
    static final Map<String, Double> FLOP_RATES = Map.of("FLOPS", 1.0, "GFLOPS", 1e9, "TFLOPS", 1e12, "PFLOPS", 1e15);
    static final Map<String, Double> BANDWIDTHS = Map.of("B/s", 1.0, "MB/s", 1e6, "GB/s", 1e9, "TB/s", 1e12,
            "MiB/s", 0x1p20, "GiB/s", 0x1p30);
    static final Map<String, Double> DURATIONS = Map.of("s", 1.0, "ms", 1e-3, "us", 1e-6, "ns", 1e-9);

    private Units() {
    }

    /**
     * The value of text in base units (bytes, FLOP/s, bytes/s, seconds).
     *
     * @param units the accepted unit spellings (case-sensitive: "Gb" is not "GB") and their scales
     * @param what  "a size", "a FLOP rate", ... for the error message
     * @throws IllegalArgumentException naming what was expected; the caller adds file and field
     */
    static double parse(String text, Map<String, Double> units, String what) {
        Matcher m = QUANTITY.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not " + what + " (a number and a unit, one of "
                    + String.join(", ", new java.util.TreeSet<>(units.keySet())) + ")");
        }
        Double scale = units.get(m.group(2));
        if (scale == null) {
            throw new IllegalArgumentException("unknown unit '" + m.group(2) + "' in '" + text + "' (" + what
                    + " takes " + String.join(", ", new java.util.TreeSet<>(units.keySet())) + ")");
        }
        return Double.parseDouble(m.group(1)) * scale;
    }

    /** Human-readable bytes, binary prefixes: "79.00 GiB". */
    public static String bytes(long bytes) {
        if (bytes < 1L << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / 0x1p20);
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / 0x1p30);
    }

    /** "312.0 TFLOPS", "145.2 GFLOPS". */
    public static String flops(double perSecond) {
        return perSecond >= 1e12 ? String.format(Locale.ROOT, "%.1f TFLOPS", perSecond / 1e12)
                : String.format(Locale.ROOT, "%.1f GFLOPS", perSecond / 1e9);
    }

    /** "2039 GB/s". */
    public static String bandwidth(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.0f GB/s", bytesPerSecond / 1e9);
    }
}
