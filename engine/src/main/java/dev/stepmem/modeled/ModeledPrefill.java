package dev.stepmem.modeled;

import dev.stepmem.backend.DeviceOutOfMemoryException;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.sim.SimBackend;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.prefill.ChunkedPrefill;
import dev.stepmem.prefill.PrefillResult;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ImplementationProfile;
import java.util.Arrays;
import java.util.Map;

/**
 * One chunked prefill on the simulated device: the real loop, the device and implementation
 * profiles' costs, the ledger at
 * the profile's usable memory. Running out of memory is an outcome, not an error.
 */
public final class ModeledPrefill {
    private ModeledPrefill() {
    }

    /**
     * What a modeled run gave.
     *
     * @param ttftNanos   modeled TTFT; -1 when out of memory
     * @param peakBytes   the ledger's peak; for an OOM run, the bytes held when it failed
     * @param oom         whether an allocation exceeded the capacity
     * @param neededBytes for an OOM run, what the failing allocation would have taken the ledger to
     *                    (a lower bound of the run's need: later allocations never happened)
     * @param capacity    the ledger's capacity
     * @param secondsByOp modeled seconds per op of the whole run (empty when OOM)
     * @param result      the loop's result, null when OOM
     */
    public record Outcome(PrefillSettings settings, long ttftNanos, long peakBytes, boolean oom, long neededBytes,
                          long capacity, Map<String, Double> secondsByOp, PrefillResult result) {
    }

    /**
     * @param capacity ledger capacity in bytes; the profile's usable memory when null
     */
    public static Outcome run(ModelWeights weights, DeviceProfile profile, ImplementationProfile implementation,
                              SimBackend.Precision precision, PrefillSettings settings, Long capacity) {
        long cap = capacity != null ? capacity : profile.usableMemory();
        SimBackend sim = new SimBackend(profile, implementation, new MemoryLedger(cap), precision);
        int[] tokens = new int[settings.length()];
        Arrays.fill(tokens, 1); // the sim reads no values; any in-vocabulary id does
        try {
            PrefillResult r = ChunkedPrefill.run(weights, sim, settings, tokens, null);
            return new Outcome(settings, r.ttftNanos(), r.peakBytes(), false, r.peakBytes(), cap, sim.secondsByOp(), r);
        } catch (DeviceOutOfMemoryException e) {
            return new Outcome(settings, -1, sim.ledger().peak(), true, e.needed(), cap, Map.of(), null);
        }
    }
}
