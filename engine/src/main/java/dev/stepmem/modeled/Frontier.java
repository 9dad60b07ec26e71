package dev.stepmem.modeled;

import dev.stepmem.backend.sim.SimBackend;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ImplementationProfile;
import java.util.function.IntFunction;

/**
 * The largest value of one setting (L, or m_max) at which a method still fits a profile's
 * memory, by bisection over modeled runs. Assumes that fitting is monotone in the value (more
 * tokens or more memory never needs fewer bytes), which holds for every schedule here up to
 * IMDC's integer rounding of chunk sizes; the returned value itself was run and fits.
 */
public final class Frontier {
    private Frontier() {
    }

    /**
     * @param largestFit the largest value that fits; 0 if even {@code lo} does not
     * @param unbounded  true when {@code hi} itself fits (the frontier is at least hi)
     * @param atFit      the run at largestFit (null when nothing fits)
     * @param beyond     the run at largestFit + 1 (or at lo when nothing fits), which ran out of memory;
     *                   null when unbounded
     * @param probes     modeled runs it took
     */
    public record Point(int largestFit, boolean unbounded, ModeledPrefill.Outcome atFit, ModeledPrefill.Outcome beyond,
                        int probes) {
    }

    public static Point search(ModelWeights weights, DeviceProfile profile, ImplementationProfile implementation,
                               SimBackend.Precision precision,
                               IntFunction<PrefillSettings> settingsAt, int lo, int hi) {
        if (lo < 1 || hi < lo) {
            throw new IllegalArgumentException("frontier search needs 1 <= lo <= hi, got " + lo + ", " + hi);
        }
        int probes = 0;
        ModeledPrefill.Outcome top = ModeledPrefill.run(weights, profile, implementation, precision, settingsAt.apply(hi), null);
        probes++;
        if (!top.oom()) {
            return new Point(hi, true, top, null, probes);
        }
        ModeledPrefill.Outcome low = ModeledPrefill.run(weights, profile, implementation, precision, settingsAt.apply(lo), null);
        probes++;
        if (low.oom()) {
            return new Point(0, false, null, low, probes);
        }
        ModeledPrefill.Outcome fit = low, over = top;
        int good = lo, bad = hi;
        while (bad - good > 1) {
            int mid = good + (bad - good) / 2;
            ModeledPrefill.Outcome o = ModeledPrefill.run(weights, profile, implementation, precision, settingsAt.apply(mid), null);
            probes++;
            if (o.oom()) {
                bad = mid;
                over = o;
            } else {
                good = mid;
                fit = o;
            }
        }
        return new Point(good, false, fit, over, probes);
    }
}
