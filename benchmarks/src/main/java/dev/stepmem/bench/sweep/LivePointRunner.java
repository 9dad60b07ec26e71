package dev.stepmem.bench.sweep;

import dev.stepmem.backend.sim.SimBackend;
import dev.stepmem.bench.ChunkedPrefillBenchmark;
import dev.stepmem.bench.PrefillFiguresProfiler;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.modeled.ModeledPrefill;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ProfileRegistry;
import dev.stepmem.results.ResultRow;
import dev.stepmem.results.ScheduleRows;
import dev.stepmem.tensor.DType;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs points for real: schedules from the plan, measured TTFT through JMH (one forked JVM per
 * point, {@code SingleShotTime}, warm-up then {@code reps} timed prefills; the median is the row's
 * value, max - min its spread), modeled TTFT through the sim backend on the point's profile.
 */
public final class LivePointRunner implements PointRunner {
    private final ProfileRegistry profiles;
    private final int reps;

    public LivePointRunner(ProfileRegistry profiles, int reps) {
        this.profiles = profiles;
        this.reps = reps;
    }

    @Override
    public List<ResultRow> run(SweepPoint p, ResultRow t) {
        return switch (p.kind()) {
            case SCHEDULE -> ScheduleRows.of(p.settings(), ModelConfig.stories15M().nLayers(), t);
            case MEASURED -> measured(p.settings(), t);
            case MODELED -> modeled(p, t);
        };
    }

    private List<ResultRow> measured(PrefillSettings s, ResultRow t) {
        RunResult r;
        try {
            r = new Runner(new OptionsBuilder()
                    .include(ChunkedPrefillBenchmark.class.getName() + ".prefill$")
                    .param("method", s.method().cliName()).param("compressor", s.compressor().name())
                    .param("attention", s.attention().cliName()).param("function", s.function())
                    .param("length", Integer.toString(s.length())).param("chunk", Integer.toString(s.chunk()))
                    .param("memory", Integer.toString(s.memory()))
                    .forks(1).warmupIterations(1).measurementIterations(reps)
                    .addProfiler(PrefillFiguresProfiler.class).shouldFailOnError(true).verbosity(VerboseMode.SILENT)
                    .build()).runSingle();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH run of " + s + " failed: " + e.getMessage(), e);
        }
        Statistics st = r.getPrimaryResult().getStatistics();
        long peak = Math.round(r.getSecondaryResults().get("peak").getScore() * 1048576.0);
        return List.of(SweepPoint.row(t, "ttft_ms", -1, -1, st.getPercentile(50), st.getMax() - st.getMin(),
                        (int) st.getN(), "ok"),
                SweepPoint.row(t, "peak_bytes", -1, -1, peak, 0, 1, "ok"));
    }

    private List<ResultRow> modeled(SweepPoint p, ResultRow t) {
        DeviceProfile profile = profiles.get(p.device());
        DType dtype = DType.parse(p.dtype());
        try (ModelWeights w = SyntheticWeights.shapesOnly(ModelConfig.preset(p.model()), dtype)) {
            ModeledPrefill.Outcome o = ModeledPrefill.run(w, profile, SimBackend.Precision.forDevice(profile, dtype),
                    p.settings(), null);
            String status = o.oom() ? "oom" : "ok";
            return List.of(SweepPoint.row(t, "ttft_ms", -1, -1, o.oom() ? Double.NaN : o.ttftNanos() / 1e6, 0, 1, status),
                    SweepPoint.row(t, "peak_bytes", -1, -1, o.oom() ? o.neededBytes() : o.peakBytes(), 0, 1, status));
        }
    }
}
