package dev.stepmem.bench;

import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the last prefill's ledger peak and tokens/s as secondary results. Unlike aux counters
 * (summed over iterations), these are aggregated with MAX, so the figure stays the figure.
 * Use with {@code -prof dev.stepmem.bench.PrefillFiguresProfiler}.
 */
public final class PrefillFiguresProfiler implements InternalProfiler {
    /** Set by the benchmark after each prefill (same JVM: profilers run in the forked VM). */
    static volatile double lastPeakMiB = Double.NaN;
    static volatile double lastTokensPerSecond = Double.NaN;

    @Override
    public String getDescription() {
        return "peak memory (ledger, MiB) and tokens/s of the last chunked prefill";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        lastPeakMiB = Double.NaN;
        lastTokensPerSecond = Double.NaN;
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        if (Double.isNaN(lastPeakMiB)) {
            return List.of();
        }
        return List.of(new ScalarResult("peak", lastPeakMiB, "MiB", AggregationPolicy.MAX),
                new ScalarResult("tokens/s", lastTokensPerSecond, "tok/s", AggregationPolicy.AVG));
    }
}
