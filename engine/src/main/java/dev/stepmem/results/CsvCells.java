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
        for (int i = 0; i < Math.max(columns.size(), r.size()); i++) {
            String want = i < columns.size() ? columns.get(i) : "(nothing)";
            String got = i < r.size() ? r.get(i) : "(nothing)";
            if (!want.equals(got)) {
                throw new IllegalArgumentException(file + ": line 1, column " + (i + 1) + ": expected header '" + want
                        + "', found '" + got + "' (not " + kind + "?)");
            }
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

    /** Any double, NaN included (a missing measurement is written as NaN). */
    public double decimal(int i) {
        try {
            return Double.parseDouble(r.get(i));
        } catch (NumberFormatException e) {
            throw bad(i, "a number");
        }
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
