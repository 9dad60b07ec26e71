package dev.stepmem.bench.sweep;

import dev.stepmem.backend.Backends;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.results.ResultRow;

/**
 * One configuration of a sweep: what to run and where.
 *
 * @param sweep    the sweep's name and scale, e.g. "fig4-quick" (rows carry it; figures select by it)
 * @param kind     what kind of run gives the rows
 * @param model    "stories15M" (real weights, measured) or a preset ("llama2-7b", "internlm2-7b", modeled)
 * @param dtype    the weights' type
 * @param device   where it runs: "cpu", or "opencl:DEVICE" / "cuda:DEVICE" for measured runs on a GPU
 *                 (as Backends.open takes them), a GPU profile's name for modeled ones
 * @param settings the chunked-prefill configuration
 * @param domain   the input: "random" (seeded ids; TTFT and memory do not depend on them) or a dataset
 *                 domain (github, arxiv, books) sampled from the built datasets
 * @param documents how many documents a perplexity point averages over (1 otherwise)
 * @param timedRuns timed prefills of a measured point, 0 for the sweep's {@code --reps}; a long run
 *                  (full attention over a long input) sets 1 and is then timed without a warm-up
 * @param implementation a modeled point's implementation profile ("efficient", "reference-eager"): whose
 *                  code the sim models on the device; "" for the others. Rows name it as backend
 *                  "sim:NAME".
 *
 * <p>A point whose memory holds the whole input (m_max >= L) evicts nothing: its rows say method
 * {@code full} (full attention, the paper's baseline).
 */
public record SweepPoint(String sweep, Kind kind, String model, String dtype, String device, PrefillSettings settings,
                         String domain, int documents, int timedRuns, String implementation) {

    public SweepPoint {
        if (kind == Kind.MODELED && implementation.isBlank()) {
            throw new IllegalArgumentException(sweep + ": a modeled point needs an implementation profile");
        }
    }

    /** A point that is not modeled, with its own number of timed runs. */
    public SweepPoint(String sweep, Kind kind, String model, String dtype, String device, PrefillSettings settings,
                      String domain, int documents, int timedRuns) {
        this(sweep, kind, model, dtype, device, settings, domain, documents, timedRuns, "");
    }

    /** A modeled point on seeded random ids: the sim with a device profile and an implementation profile. */
    public static SweepPoint modeled(String sweep, String model, String dtype, String profile,
                                     PrefillSettings settings, String implementation) {
        return new SweepPoint(sweep, Kind.MODELED, model, dtype, profile, settings, "random", 1, 0, implementation);
    }

    /** A point on seeded random ids. */
    public SweepPoint(String sweep, Kind kind, String model, String dtype, String device, PrefillSettings settings) {
        this(sweep, kind, model, dtype, device, settings, "random", 1, 0);
    }

    /** A point on dataset documents. */
    public SweepPoint(String sweep, Kind kind, String model, String dtype, String device, PrefillSettings settings,
                      String domain, int documents) {
        this(sweep, kind, model, dtype, device, settings, domain, documents, 0);
    }

    /** This point on another device (a measured point repeated on each device of the run). */
    public SweepPoint on(String otherDevice) {
        return new SweepPoint(sweep, kind, model, dtype, otherDevice, settings, domain, documents, timedRuns,
                implementation);
    }

    /** Full attention: FULL_ATTENTION_PERPLEXITY, or any point whose memory holds the whole input. */
    public boolean fullAttention() {
        return kind == Kind.FULL_ATTENTION_PERPLEXITY || settings.memory() >= settings.length();
    }

    /** The kinds of run a sweep is made of. */
    public enum Kind {
        /** chunk and memory sizes per step from the plan (Fig 2); no model runs */
        SCHEDULE,
        /** TTFT and peak memory measured on this machine's CPU backend, through JMH */
        MEASURED,
        /** TTFT and peak memory modeled by the sim backend on a GPU profile */
        MODELED,
        /** the probes behind Fig 1a, 1b and 6 on one document, measured on the CPU */
        PROBE,
        /** perplexity of the method (METHOD.md §6) on dataset documents, measured on the CPU */
        PERPLEXITY,
        /** perplexity with full attention on the same documents (method "full") */
        FULL_ATTENTION_PERPLEXITY
    }

    /**
     * This point's configuration as a row with no metric yet: every run writes copies of it, and
     * its {@link ResultRow#runKey()} is how a resumed sweep recognizes a finished point.
     */
    public ResultRow template(String gitCommit, String machine, String timestamp, String profileSha) {
        PrefillSettings s = settings;
        boolean modeled = kind == Kind.MODELED;
        boolean full = fullAttention();
        String backend = modeled ? "sim:" + implementation : kind == Kind.SCHEDULE ? "none" : Backends.name(device);
        return new ResultRow(sweep, modeled ? "modeled" : "measured", device, modeled ? profileSha : "", backend, model,
                model.equals("stories15M") ? "real" : "synthetic", dtype, domain, full ? "" : s.compressor().name(),
                full ? "full" : s.method().cliName(), full || s.method() == Method.FM ? "" : s.function(),
                s.attention().cliName(),
                s.length(), s.chunk(), s.memory(), "", -1, -1, Double.NaN, 0, 0, "ok", gitCommit, machine, timestamp);
    }

    /** A row of this run: the template with a metric and its value. */
    static ResultRow row(ResultRow t, String metric, int step, int layer, double value, double spread, int repeats,
                         String status) {
        return new ResultRow(t.sweep(), t.source(), t.device(), t.profileSha(), t.backend(), t.model(), t.weights(),
                t.dtype(), t.domain(), t.compressor(), t.method(), t.function(), t.attention(), t.length(), t.chunk(),
                t.memory(), metric, step, layer, value, spread, repeats, status, t.gitCommit(), t.machine(),
                t.timestamp());
    }

    @Override
    public String toString() {
        return sweep + " " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + model + " on " + device
                + (implementation.isEmpty() ? "" : " as " + implementation) + ": " + settings;
    }
}
