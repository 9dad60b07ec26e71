package dev.stepmem.results;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a results row must satisfy before a figure may trust it: a known metric, a finite value in
 * that metric's range (a missing value, NaN, only for the TTFT of a run that ran out of memory),
 * and sane configuration numbers. The reader refuses a file with such a row; the writer refuses
 * to write one, so every file it writes reads back.
 */
final class ResultRowChecks {
    /** Each metric's closed range of values. */
    private record Range(double min, double max) {
        String text() {
            return "[" + ResultRow.number(min) + ", " + (max == Double.MAX_VALUE ? "inf)" : ResultRow.number(max) + "]");
        }
    }

    private static final Map<String, Range> METRICS = new LinkedHashMap<>();

    static {
        METRICS.put("ttft_ms", new Range(0, Double.MAX_VALUE));
        METRICS.put("peak_bytes", new Range(0, Double.MAX_VALUE));
        METRICS.put("ppl", new Range(1, Double.MAX_VALUE)); // exp(mean cross-entropy) >= 1
        METRICS.put("mem_attention", new Range(0, 1)); // a mean attention probability
        METRICS.put("memory_fraction", new Range(0, 1)); // a share of the final memory
        METRICS.put("chunk_size", new Range(0, Double.MAX_VALUE));
        METRICS.put("memory_size", new Range(0, Double.MAX_VALUE));
    }

    private ResultRowChecks() {
    }

    /** The first problem of the row, as "column 'name': what is wrong", or null when it can be trusted. */
    static String problem(ResultRow r) {
        Range range = METRICS.get(r.metric());
        if (range == null) {
            return "column 'metric': unknown metric '" + r.metric() + "' (known: " + String.join(", ", METRICS.keySet())
                    + ")";
        }
        boolean missingAllowed = r.metric().equals("ttft_ms") && r.status().equals("oom");
        if (Double.isNaN(r.value()) && !missingAllowed) {
            return "column 'value': 'NaN' is not a number (only the ttft_ms of an oom row may be missing)";
        }
        if (!Double.isNaN(r.value()) && (r.value() < range.min() || r.value() > range.max())) {
            return "column 'value': '" + ResultRow.number(r.value()) + "' is outside " + r.metric() + "'s range "
                    + range.text();
        }
        if (!Double.isFinite(r.spread()) || r.spread() < 0) {
            return "column 'spread': '" + ResultRow.number(r.spread()) + "' is not a finite number >= 0";
        }
        if (r.repeats() < 1) {
            return "column 'repeats': " + r.repeats() + " is not at least 1";
        }
        if (r.length() < 1 || r.chunk() < 1 || r.memory() < 0) {
            return "columns 'length', 'chunk', 'memory': " + r.length() + ", " + r.chunk() + ", " + r.memory()
                    + " are not L >= 1, c >= 1, m_max >= 0";
        }
        if (r.step() < -1 || r.layer() < -1) {
            return "columns 'step', 'layer': " + r.step() + ", " + r.layer() + " are not all at least -1 (-1 = all)";
        }
        return null;
    }
}
