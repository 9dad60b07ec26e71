package dev.stepmem.ops;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.gpu.GpuBackend;
import dev.stepmem.backend.gpu.Transfers;
import dev.stepmem.backend.sim.Roofline;
import dev.stepmem.ops.OpCase.Inputs;
import dev.stepmem.ops.OpCase.Prepared;
import dev.stepmem.profiles.DeviceProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * llm.c's dev/cuda pattern for every op: seeded inputs, the plain reference's result, then on
 * each backend one call checked against it and timed calls (after a warm-up), reported beside
 * the roofline time the device's profile predicts.
 */
public final class OpHarness {
    private static final int WARM_UP_CALLS_MAX = 10_000;
    private final Backend reference;
    private final int repeats;
    private final long minNanos;

    /**
     * @param repeats  timed calls at least
     * @param minNanos and at least this much time in timed calls (short ops get more calls)
     */
    public OpHarness(Backend reference, int repeats, long minNanos) {
        this.reference = reference;
        this.repeats = repeats;
        this.minNanos = minNanos;
    }

    /**
     * A backend to measure under a label ("cuda", "cuda/kernel-gemm"), the device it runs on, the
     * profile its predictions come from (if any), and whether its matmuls round the activations
     * to a 16-bit weight's type (cuBLAS), which sets their tolerance ({@link OpCase#tolerance(boolean)}).
     * {@code matmulsOnly}: a variant that differs from another target in its GEMM alone.
     */
    public record Target(String label, Backend backend, String device, Optional<DeviceProfile> profile,
                         boolean roundsActivations, boolean matmulsOnly) {
    }

    /** Every case on every target, in case order; {@code afterEach} sees each result as it comes. */
    public List<OpResult> run(List<OpCase> cases, List<Target> targets, java.util.function.Consumer<OpResult> afterEach) {
        List<OpResult> out = new ArrayList<>();
        for (OpCase c : cases) {
            float[] want = once(c, reference, Prepared::output);
            for (Target target : targets) {
                if (target.matmulsOnly() && !c.op().equals("matmul")) {
                    continue;
                }
                OpResult r = measure(c, target, want);
                afterEach.accept(r);
                out.add(r);
            }
        }
        return out;
    }

    private OpResult measure(OpCase c, Target target, float[] want) {
        Backend b = target.backend();
        try (Inputs in = new Inputs(b)) {
            Prepared p = c.setup().apply(in);
            Transfers before = transfers(b);
            p.run();
            Transfers oneCall = transfers(b).since(before);
            double error = relativeError(want, p.output());
            warmUp(b, p);
            long[] times = new long[Math.max(repeats, 1) * 64];
            int n = 0;
            long spent = 0;
            while (n < times.length && (n < repeats || spent < minNanos)) {
                long t0 = b.nanoTime();
                p.run();
                times[n] = b.nanoTime() - t0;
                spent += times[n++];
            }
            long[] timed = Arrays.copyOf(times, n);
            Arrays.sort(timed);
            long median = timed[n / 2];
            double modeled = target.profile().map(pr -> new Roofline(pr, OpCases.EFFICIENT).seconds(c.cost(), c.operands()) * 1e9)
                    .orElse(Double.NaN);
            return new OpResult(c, target.label(), target.device(), error, c.tolerance(target.roundsActivations()), median,
                    n, oneCall,
                    target.profile().map(DeviceProfile::name).orElse(""), modeled);
        }
    }

    /** The JIT (CPU) and first-launch costs (GPU) out of the way: 3 calls and half the timed budget, at least. */
    private void warmUp(Backend b, Prepared p) {
        long start = b.nanoTime();
        for (int calls = 0; calls < WARM_UP_CALLS_MAX && (calls < 3 || b.nanoTime() - start < minNanos / 2); calls++) {
            p.run();
        }
    }

    private static <T> T once(OpCase c, Backend b, Function<Prepared, T> result) {
        try (Inputs in = new Inputs(b)) {
            Prepared p = c.setup().apply(in);
            p.run();
            return result.apply(p);
        }
    }

    private static Transfers transfers(Backend b) {
        return b instanceof GpuBackend g ? g.transfers() : Transfers.NONE;
    }

    /** max |want - got| / max |want| (the absolute difference when want is all zeros); infinite on a length mismatch or NaN. */
    static double relativeError(float[] want, float[] got) {
        if (want.length != got.length) {
            return Double.POSITIVE_INFINITY;
        }
        double maxDiff = 0, maxAbs = 0;
        for (int i = 0; i < want.length; i++) {
            double diff = Math.abs((double) want[i] - got[i]);
            if (Double.isNaN(diff)) {
                return Double.POSITIVE_INFINITY;
            }
            maxDiff = Math.max(maxDiff, diff);
            maxAbs = Math.max(maxAbs, Math.abs(want[i]));
        }
        return maxAbs == 0 ? maxDiff : maxDiff / maxAbs;
    }
}
