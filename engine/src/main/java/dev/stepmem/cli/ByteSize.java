package dev.stepmem.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes for flags and reports: "24GiB", "500MB", "123456" (bytes). */
final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);

    private ByteSize() {
    }

    static long parse(String text, String flag) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + " '" + text + "' is not a size (e.g. 24GiB, 500MB, 1048576)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        double scale = switch (unit) {
            case "B" -> 1;
            case "KB" -> 1e3;
            case "MB" -> 1e6;
            case "GB" -> 1e9;
            case "TB" -> 1e12;
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            case "TIB" -> 1L << 40;
            default -> throw new IllegalArgumentException(flag + ": unknown unit " + unit);
        };
        long bytes = (long) (value * scale);
        if (bytes <= 0) {
            throw new IllegalArgumentException(flag + " must be positive, got '" + text + "'");
        }
        return bytes;
    }

    static String format(long bytes) {
        if (bytes < 1L << 20) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format("%.1f MiB", bytes / (double) (1L << 20));
        }
        return String.format("%.2f GiB", bytes / (double) (1L << 30));
    }
}
