package dev.stepmem.bench.gate;

import dev.stepmem.results.Stats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The verdict on candidate / reference TTFT ratios measured side by side. A configuration's ratio
 * is the median of its invocations' ratios (each a prefill of both builds, back to back); the run fails when
 * any ratio exceeds {@link #CONFIG_LIMIT} or their geometric mean exceeds {@link #GEOMEAN_LIMIT}
 * (docs/ttft-gate.md has the A/A spread these limits come from).
 *
 * @param rows     one per configuration of the candidate's list, in its order
 * @param geomean  the geometric mean of the judged rows' ratios (NaN when none was judged)
 */
record GateVerdict(List<Row> rows, double geomean) {
    static final double CONFIG_LIMIT = 1.15;
    static final double GEOMEAN_LIMIT = 1.08;

    /**
     * @param referenceMs median reference TTFT (NaN: the reference did not run it)
     * @param lowRatio    the lowest of the invocations' ratios (their spread with {@code highRatio})
     */
    record Row(String config, double referenceMs, double candidateMs, double ratio, double lowRatio,
               double highRatio) {
        boolean judged() {
            return !Double.isNaN(ratio);
        }

        boolean slower() {
            return judged() && ratio > CONFIG_LIMIT;
        }
    }

    /**
     * @param timings per configuration, its invocations' {reference, candidate, slowed} TTFTs (ms)
     * @param build   1 to judge the candidate, 2 the slowed candidate
     * @throws GateException (1) when a configuration has no samples of the judged build; (3) when
     *                       the reference ran none of the configurations
     */
    static GateVerdict of(List<String> configs, Map<String, List<double[]>> timings, int build) {
        List<Row> rows = new ArrayList<>();
        double logSum = 0;
        int judged = 0;
        for (String c : configs) {
            List<double[]> runs = timings.getOrDefault(c, List.of());
            double[] cand = runs.stream().mapToDouble(r -> r[build]).filter(x -> !Double.isNaN(x)).toArray();
            if (cand.length == 0) {
                throw new GateException(GateException.REGRESSION, "the working tree's build did not run " + c
                        + " (JMH's log is in the gate's work folder)");
            }
            double[] ref = runs.stream().mapToDouble(r -> r[0]).filter(x -> !Double.isNaN(x)).toArray();
            if (ref.length == 0) {
                rows.add(new Row(c, Double.NaN, Stats.median(cand), Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            double[] ratios = runs.stream().mapToDouble(r -> r[build] / r[0]).toArray();
            double ratio = Stats.median(ratios);
            rows.add(new Row(c, Stats.median(ref), Stats.median(cand), ratio,
                    Arrays.stream(ratios).min().orElseThrow(), Arrays.stream(ratios).max().orElseThrow()));
            logSum += Math.log(ratio);
            judged++;
        }
        if (judged == 0) {
            throw new GateException(GateException.NO_VERDICT, "the reference build ran none of the "
                    + configs.size() + " configurations: nothing to compare (move the reference: docs/ttft-gate.md)");
        }
        return new GateVerdict(List.copyOf(rows), Math.exp(logSum / judged));
    }

    /** The largest judged ratio. */
    double maxRatio() {
        return rows.stream().filter(Row::judged).mapToDouble(Row::ratio).max().orElse(Double.NaN);
    }

    boolean passed() {
        return geomean <= GEOMEAN_LIMIT && rows.stream().noneMatch(Row::slower);
    }

    /** The report: a Markdown table and the verdict line. */
    String table(String title) {
        StringBuilder out = new StringBuilder("### " + title + "\n\n");
        out.append("| configuration | reference ms | candidate ms | ratio | ratios of the pairs | |\n");
        out.append("|---|---:|---:|---:|---|---|\n");
        for (Row r : rows) {
            if (!r.judged()) {
                out.append(String.format(Locale.ROOT, "| %s | - | %.1f | - | - | not in the reference: not judged |%n",
                        r.config(), r.candidateMs()));
                continue;
            }
            out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.3f | %.3f - %.3f | %s |%n", r.config(),
                    r.referenceMs(), r.candidateMs(), r.ratio(), r.lowRatio(), r.highRatio(),
                    r.slower() ? "SLOWER (> " + CONFIG_LIMIT + ")" : "ok"));
        }
        out.append(String.format(Locale.ROOT, "%ngeometric mean of the ratios: %.3f (limit %.2f; each "
                + "configuration's limit %.2f): %s%n", geomean, GEOMEAN_LIMIT, CONFIG_LIMIT,
                passed() ? "PASS" : "REGRESSION"));
        return out.toString();
    }
}
