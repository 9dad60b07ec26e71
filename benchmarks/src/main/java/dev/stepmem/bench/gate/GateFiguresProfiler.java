package dev.stepmem.bench.gate;

import java.util.ArrayList;
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
 * Carries each round's per-configuration figures of {@link TtftGateBenchmark} out of the forked
 * JVM as secondary results of the iteration (labels {@code prefill_ms <id>}, {@code calibration_ms <id>}),
 * plus the calibration's id as a label of its own. The gate reads them per iteration, not JMH's
 * aggregates, and takes its own medians.
 * Use with {@code -prof dev.stepmem.bench.gate.GateFiguresProfiler}.
 */
public final class GateFiguresProfiler implements InternalProfiler {
    static final String PREFILL = "prefill_ms ";
    static final String CALIBRATION = "calibration_ms ";
    static final String CALIBRATION_ID = "calibration_id ";

    /** One round: per configuration (in the order run), TTFT and the mean of the calibrations beside it. */
    record Round(String calibrationId, String[] ids, double[] prefillMs, double[] calibrationMs) {
    }

    /** Set by the benchmark after each round (same JVM: profilers run in the forked VM). */
    static volatile Round last;

    @Override
    public String getDescription() {
        return "the TTFT gate's per-configuration prefill and calibration times of each round";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        last = null;
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        Round r = last;
        if (r == null) {
            return List.of();
        }
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < r.ids().length; i++) {
            out.add(new ScalarResult(PREFILL + r.ids()[i], r.prefillMs()[i], "ms", AggregationPolicy.AVG));
            out.add(new ScalarResult(CALIBRATION + r.ids()[i], r.calibrationMs()[i], "ms", AggregationPolicy.AVG));
        }
        out.add(new ScalarResult(CALIBRATION_ID + r.calibrationId(), 1, "", AggregationPolicy.MAX));
        return out;
    }
}
