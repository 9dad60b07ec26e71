package dev.stepmem.ops;

import dev.stepmem.backend.gpu.Transfers;

/**
 * One op on one backend: its error against the reference, its median time, the host-device
 * copies of one call, and what the device's profile predicts for it.
 *
 * @param error        max |got - want| / max |want| against the reference
 * @param tolerance    the error allowed on this backend (the op's, or a vendor GEMM's, see {@link OpCase#tolerance})
 * @param medianNanos  median time of one call (the backend's clock: a GPU's waits for its queue)
 * @param repeats      timed calls
 * @param transfers    copies of one call (GPU backends; {@link Transfers#NONE} on the CPU)
 * @param profile      the profile the prediction comes from ("" when none fits the device)
 * @param modeledNanos the sim's roofline time of the call on that profile (NaN without one)
 */
public record OpResult(OpCase op, String backend, String device, double error, double tolerance, long medianNanos,
                       int repeats,
                       Transfers transfers, String profile, double modeledNanos) {

    public boolean passed() {
        return error <= tolerance;
    }

    public double gflops() {
        return op.cost().flops() / medianNanos;
    }

    public double gbytesPerSecond() {
        return op.cost().bytes() / medianNanos;
    }

    /** Achieved over predicted speed (modeled time / measured time): 1 = as the profile says. */
    public double ofModel() {
        return modeledNanos / medianNanos;
    }
}
