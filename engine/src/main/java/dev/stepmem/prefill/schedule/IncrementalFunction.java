package dev.stepmem.prefill.schedule;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The five incremental functions of IM (METHOD.md §2): m_i, the memory size AFTER compressing
 * chunk i, for n chunks and limit m_max.
 *
 * <p>Arithmetic follows the reference (Python) exactly: a = m_max // n; the last step
 * (i >= n-1) gives m_max; otherwise the formula is evaluated in double and truncated with
 * int(). The float expressions keep the reference's grouping, which matters for rounding:
 * square is {@code i^2 * ((m_max - a) / (n-1)^2) + a} and sqrt is
 * {@code i^0.5 * ((m_max - a) / (n-1)^0.5) + a}; evaluated left to right instead, about 0.04%
 * of (n, m_max, i) land one below (an exact integer computed as x.999...).
 *
 * <p>{@code x ** 0.5} is computed with {@link Math#sqrt} (correctly rounded). Python calls
 * libm's pow, which agrees with sqrt for every integer below 2921 and is one ulp off for a few
 * larger ones; the arguments here are a step index and n - 1, so this only matters beyond
 * about 2900 chunks, and even then only when the result sits on an integer.
 */
public enum IncrementalFunction {
    /** m_i = a * (i + 1); the paper's main results. */
    LINEAR,
    /** m_i = i^2 * (m_max - a) / (n-1)^2 + a: grows slowly, then fast. */
    SQUARE,
    /** m_i = i^0.5 * (m_max - a) / (n-1)^0.5 + a: grows fast, then slowly. */
    SQRT,
    /** m_i = m_max / (n - i). */
    INVERSE_CONVEX,
    /** m_i = m_max + a - m_max / (i + 1). */
    INVERSE_CONCAVE;

    /** The CLI name, e.g. {@code inverse_convex}. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * m_i for step i of n chunks with limit m_max (METHOD.md §2).
     *
     * @throws IllegalArgumentException if step < 0, nChunks <= 0 or mMax <= 0
     */
    public int memoryAfter(int step, int nChunks, int mMax) {
        Checks.step(step);
        Checks.nChunks(nChunks);
        Checks.mMax(mMax);
        if (step >= nChunks - 1) {
            return mMax; // the last chunk always ends at m_max: decoding sees 4 + m_max tokens (§1)
        }
        int a = mMax / nChunks; // Python's //, both operands non-negative
        return switch (this) {
            case LINEAR -> a * (step + 1); // exact int: a * n <= m_max, so no overflow
            case SQUARE -> (int) ((double) ((long) step * step)
                    * ((double) (mMax - a) / (double) ((long) (nChunks - 1) * (nChunks - 1))) + a);
            case SQRT -> (int) (Math.sqrt(step) * ((double) (mMax - a) / Math.sqrt(nChunks - 1)) + a);
            case INVERSE_CONVEX -> (int) ((double) mMax / (double) (nChunks - step));
            // Python evaluates (m_max + a) in exact ints first, then subtracts the float
            case INVERSE_CONCAVE -> (int) ((double) ((long) mMax + a) - (double) mMax / (double) (step + 1));
        };
    }

    /**
     * Parses a CLI name: {@code linear, square, sqrt, inverse_convex, inverse_concave};
     * case-insensitive, hyphens accepted ({@code inverse-convex}).
     *
     * @throws IllegalArgumentException naming the valid names if {@code name} is unknown
     */
    public static IncrementalFunction parse(String name) {
        String key = Checks.normalizeName(name);
        for (IncrementalFunction f : values()) {
            if (f.cliName().equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown incremental function '" + name + "'; valid: " + validNames());
    }

    /** The valid CLI names, comma-separated, for error messages and --help. */
    public static String validNames() {
        return Arrays.stream(values()).map(IncrementalFunction::cliName).collect(Collectors.joining(", "));
    }
}
