package dev.stepmem.cli;

import dev.stepmem.backend.gpu.GpuBackend;
import dev.stepmem.backend.gpu.Transfers;
import dev.stepmem.prefill.ChunkedPrefill;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The host-device copies of each chunk step of a prefill on a GPU backend, as the backend counts
 * them: a {@link ChunkedPrefill.Progress} that reads the backend's counter after every step
 * (and passes the step on to another progress, e.g. a progress bar, when there is one).
 */
final class StepTransfers implements ChunkedPrefill.Progress {
    private final GpuBackend backend;
    private final ChunkedPrefill.Progress next;
    private final List<Transfers> steps = new ArrayList<>();
    private Transfers last;

    StepTransfers(GpuBackend backend, ChunkedPrefill.Progress next) {
        this.backend = backend;
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
    }
}
