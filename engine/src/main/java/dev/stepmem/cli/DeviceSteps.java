package dev.stepmem.cli;

import dev.stepmem.backend.gpu.GpuBackend;
import dev.stepmem.backend.gpu.Transfers;
import dev.stepmem.prefill.ChunkedPrefill;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a GPU backend reports of each chunk step of a prefill: the host-device copies it counted,
 * and where the driver tells (CUDA's cuMemGetInfo) its free memory, whose lowest reading at a
 * step's end gives a device-reported peak beside the ledger's. A {@link ChunkedPrefill.Progress}
 * reading both after every step (passing the step on to another progress, e.g. a progress bar).
 */
final class DeviceSteps implements ChunkedPrefill.Progress {
    private final GpuBackend backend;
    private final ChunkedPrefill.Progress next;
    private final List<Transfers> steps = new ArrayList<>();
    private final long freeAtStart;
    private Transfers last;
    private long lowestFree = Long.MAX_VALUE;

    /** @param freeAtStart the driver's free memory before the backend allocated anything (cuda), else ignored */
    DeviceSteps(GpuBackend backend, long freeAtStart, ChunkedPrefill.Progress next) {
        this.backend = backend;
        this.freeAtStart = freeAtStart;
        this.next = next;
    }

    @Override
    public void beforeFirstStep() {
        last = backend.transfers(); // the weights' upload is the model's construction, not a step
        if (next != null) {
            next.beforeFirstStep();
        }
    }

    @Override
    public void afterStep(int step, int stepCount, long tokensDone, long tokensTotal, long elapsedNanos) {
        Transfers now = backend.transfers();
        steps.add(now.since(last));
        last = now;
        backend.runtime().driverFreeBytes().ifPresent(free -> lowestFree = Math.min(lowestFree, free));
        if (next != null) {
            next.afterStep(step, stepCount, tokensDone, tokensTotal, elapsedNanos);
        }
    }

    /** One row per step when {@code everyStep}, then the total. */
    void print(boolean everyStep) {
        System.out.println("host-device copies per chunk step (counted by the " + backend.name() + " backend):");
        System.out.println(" step  to device        bytes  to host        bytes");
        Transfers total = Transfers.NONE;
        for (int i = 0; i < steps.size(); i++) {
            Transfers t = steps.get(i);
            total = total.plus(t);
            if (everyStep) {
                System.out.printf(Locale.ROOT, "%5d %10d %12s %8d %12s%n", i, t.toDevice(), String.format(Locale.ROOT,
                        "%,d", t.toDeviceBytes()), t.toHost(), String.format(Locale.ROOT, "%,d", t.toHostBytes()));
            }
        }
        System.out.println("all " + steps.size() + " steps: " + total.describe());
        if (lowestFree != Long.MAX_VALUE) {
            System.out.printf(Locale.ROOT, "device-reported peak: the driver's free memory fell by at most %,d bytes "
                    + "(lowest at a step's end, since the backend opened; weights, KV, staging, cuBLAS workspace, "
                    + "the context's growth)%n", freeAtStart - lowestFree);
        }
    }
}
