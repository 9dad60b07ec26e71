package dev.stepmem.results;

import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVRecord;

/**
 * Typed access to one record of a CSV file with a fixed header, for the project's CSV readers
 * (results, the TTFT gate's baseline): every error names the file, the line and the column.
 *
 * @param columns the file's header, in order (column names for the messages)
 */
public record CsvCells(Path file, long line, CSVRecord r, List<String> columns) {

    /**
     * Refuses a header that is not exactly {@code columns}, naming the first differing column.
     *
     * @param kind what the file should have been, for the message (e.g. "a stepmem results file")
     */
    public static void checkHeader(Path file, CSVRecord r, List<String> columns, String kind) {
        if (r.size() > 0 && r.get(0).startsWith("\uFEFF")) {
            throw byteOrderMark(file);
        }
        for (int i = 0; i < Math.max(columns.size(), r.size()); i++) {
            String want = i < columns.size() ? columns.get(i) : "(nothing)";
            String got = i < r.size() ? r.get(i) : "(nothing)";
            if (!want.equals(got)) {
                throw new IllegalArgumentException(file + ": line 1, column " + (i + 1) + ": expected header '" + want
                        + "', found '" + got + "' (not " + kind + "?)");
            }
        }
    }

    /** A CSV that starts with a UTF-8 byte-order mark is refused by name (its header would look right but not match). */
    public static void refuseByteOrderMark(Path file, byte[] bytes) {
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            throw byteOrderMark(file);
        }
    }

    private static IllegalArgumentException byteOrderMark(Path file) {
        return new IllegalArgumentException(file + ": starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 "
                + "without one");
    }

    /** The bytes as UTF-8, refusing invalid sequences (instead of reading them as U+FFFD). */
    public static String utf8(Path file, byte[] bytes) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text");
        }
    }

    public String text(int i) {
        return r.get(i);
    }

    public int integer(int i) {
        try {
            return Integer.parseInt(r.get(i));
        } catch (NumberFormatException e) {
            throw bad(i, "an integer");
        }
    }

    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("NaN|-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    /**
     * A plain decimal as the writers print it, or NaN (a missing measurement); not Java's other
     * spellings (hex, "1d", surrounding blanks). Infinity and overflow to it are refused.
     */
    public double decimal(int i) {
        String text = r.get(i);
        if (DECIMAL.matcher(text).matches()) {
            double v = Double.parseDouble(text);
            if (!Double.isInfinite(v)) {
                return v;
            }
        }
        throw bad(i, "a finite number or NaN");
    }

    public double finite(int i) {
        try {
            double v = Double.parseDouble(r.get(i));
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(i, "a finite number");
    }

    public double positive(int i) {
        double v = finite(i);
        if (v <= 0) {
            throw bad(i, "a positive number");
        }
        return v;
    }

    private IllegalArgumentException bad(int i, String what) {
        return new IllegalArgumentException(file + ": line " + line + ", column '" + columns.get(i) + "': '"
                + r.get(i) + "' is not " + what);
    }
}
