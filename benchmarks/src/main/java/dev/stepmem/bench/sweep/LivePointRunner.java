package dev.stepmem.bench.sweep;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.sim.SimBackend;
import dev.stepmem.datasets.sample.DatasetSampler;
import dev.stepmem.model.load.Llama2cLoader;
import dev.stepmem.prefill.ChunkedPrefill;
import dev.stepmem.prefill.PrefillResult;
import dev.stepmem.bench.ChunkedPrefillBenchmark;
import dev.stepmem.bench.PrefillFiguresProfiler;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.RopeRule;
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
 * Runs points for real: schedules from the plan, measured TTFT through JMH on the point's device
 * (one forked JVM per point, {@code SingleShotTime}, warm-up then {@code reps} timed prefills; the
 * median is the row's value, max - min its spread), modeled TTFT through the sim backend on the
 * point's profile, probes and perplexity on the CPU (their values do not depend on the device).
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
            case MEASURED -> measured(p, t);
            case MODELED -> modeled(p, t);
            case PROBE -> probes(p, t);
            case PERPLEXITY, FULL_ATTENTION_PERPLEXITY -> perplexity(p, t);
        };
    }

    /**
     * stories15M's real weights, loaded once for the CPU-side points, under the reference code's
     * RoPE rule (dynamic NTK past its 256 trained positions), as the authors' loader applies it.
     */
    private ModelWeights stories;

    private ModelWeights stories() {
        if (stories == null) {
            stories = Llama2cLoader.load(Stories15m.ensureModel()).withRope(RopeRule.REFERENCE);
        }
        return stories;
    }

    /** n documents of L tokens of a domain from the built datasets (seed 1: the same every run). */
    private static List<int[]> documents(SweepPoint p) {
        return DatasetSampler.sample(p.domain(), "llama2", p.documents(), p.settings().length(), 1);
    }

    /**
     * Fig 1a: the mean attention a memory token gets per step; Fig 1b and 6: the share of each
     * layer's final memory that came from each chunk (origin // c), over its KV heads, and the mean
     * over layers as layer -1.
     */
    private List<ResultRow> probes(SweepPoint p, ResultRow t) {
        PrefillSettings s = p.settings();
        PrefillResult r = ChunkedPrefill.run(stories(), new CpuBackend(), s, documents(p).getFirst(), null, true);
        List<ResultRow> rows = new java.util.ArrayList<>();
        for (int i = 1; i < r.steps().size(); i++) {
            rows.add(SweepPoint.row(t, "mem_attention", i, -1, r.steps().get(i).memoryAttention(), 0, 1, "ok"));
        }
        int chunks = r.steps().size(), layers = r.memoryOrigins().length;
        double[] mean = new double[chunks];
        for (int l = 0; l < layers; l++) {
            double[] share = new double[chunks];
            int total = 0;
            for (int[] head : r.memoryOrigins()[l]) {
                for (int origin : head) {
                    share[Math.min(chunks - 1, origin / s.chunk())]++;
                }
                total += head.length;
            }
            for (int k = 0; k < chunks; k++) {
                share[k] /= total;
                mean[k] += share[k] / layers;
                rows.add(SweepPoint.row(t, "memory_fraction", k, l, share[k], 0, 1, "ok"));
            }
        }
        for (int k = 0; k < chunks; k++) {
            rows.add(SweepPoint.row(t, "memory_fraction", k, -1, mean[k], 0, 1, "ok"));
        }
        return rows;
    }

    /** Mean per-document PPL (METHOD.md §6) over the point's documents; spread = max - min. */
    private List<ResultRow> perplexity(SweepPoint p, ResultRow t) {
        PrefillSettings s = p.settings();
        List<int[]> docs = documents(p);
        double[] ppl = new double[docs.size()];
        for (int d = 0; d < docs.size(); d++) {
            ppl[d] = (p.kind() == SweepPoint.Kind.FULL_ATTENTION_PERPLEXITY
                    ? ChunkedPrefill.fullAttentionPerplexity(stories(), new CpuBackend(), docs.get(d), s.chunk(), null)
                    : ChunkedPrefill.perplexity(stories(), new CpuBackend(), s, docs.get(d), null)).perplexity();
        }
        double mean = java.util.Arrays.stream(ppl).average().orElseThrow();
        double spread = java.util.Arrays.stream(ppl).max().orElseThrow() - java.util.Arrays.stream(ppl).min().orElseThrow();
        return List.of(SweepPoint.row(t, "ppl", -1, -1, mean, spread, docs.size(), "ok"));
    }

    /**
     * TTFT and peak memory through JMH on the point's device. A point with its own timedRuns = 1 (a
     * long full-attention run) is timed once without a warm-up; others get one warm-up prefill.
     */
    private List<ResultRow> measured(SweepPoint p, ResultRow t) {
        PrefillSettings s = p.settings();
        int runs = p.timedRuns() > 0 ? p.timedRuns() : reps;
        RunResult r;
        try {
            r = new Runner(new OptionsBuilder()
                    .include(ChunkedPrefillBenchmark.class.getName() + ".prefill$")
                    .param("backend", p.device())
                    .param("method", s.method().cliName()).param("compressor", s.compressor().name())
                    .param("attention", s.attention().cliName()).param("function", s.function())
                    .param("length", Integer.toString(s.length())).param("chunk", Integer.toString(s.chunk()))
                    .param("memory", Integer.toString(s.memory()))
                    .forks(1).warmupIterations(p.timedRuns() == 1 ? 0 : 1).measurementIterations(runs)
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
            ModeledPrefill.Outcome o = ModeledPrefill.run(w, profile, profiles.implementation(p.implementation()),
                    SimBackend.Precision.forDevice(profile, dtype), p.settings(), null);
            String status = o.oom() ? "oom" : "ok";
            return List.of(SweepPoint.row(t, "ttft_ms", -1, -1, o.oom() ? Double.NaN : o.ttftNanos() / 1e6, 0, 1, status),
                    SweepPoint.row(t, "peak_bytes", -1, -1, o.oom() ? o.neededBytes() : o.peakBytes(), 0, 1, status));
        }
    }
}
