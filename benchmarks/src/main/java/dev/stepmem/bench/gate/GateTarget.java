package dev.stepmem.bench.gate;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Backends;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.Llama2cLoader;
import dev.stepmem.prefill.ChunkedPrefill;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gate's stable way into one build of the engine. Whatever the engine's API at a commit, its
 * copy of this class turns a configuration id into one prefill that returns its TTFT; only JDK
 * types cross, so {@link TtftGateBenchmark} can call the reference build's copy through that
 * build's own class loader. Keep the signature of {@link #prefill} unchanged across commits.
 */
public final class GateTarget {
    private static final Pattern ID = Pattern.compile("([a-z]+)/([a-z-]+)/([a-z]+)/L(\\d+)/c(\\d+)/m(\\d+)");

    private GateTarget() {
    }

    /**
     * One stories15M prefill, returning its TTFT in ns (ChunkedPrefill's, which leaves out model
     * construction), of {@code config} (e.g. {@code imdc/snapkv/eager/L2048/c128/m128}, IM
     * and IMDC with the linear function) of seeded random tokens on {@code device} (cpu,
     * opencl[:D], cuda[:D]), every op slowed by {@code slowdown}
     * ({@link SlowedBackend}; 0 for none).
     *
     * @throws IllegalArgumentException for an id or a combination this build does not know
     */
    public static LongSupplier prefill(String config, String device, double slowdown) {
        Matcher m = ID.matcher(config);
        if (!m.matches()) {
            throw new IllegalArgumentException("configuration '" + config + "' is not "
                    + "METHOD/COMPRESSOR/ATTENTION/L<n>/c<n>/m<n>");
        }
        int length = Integer.parseInt(m.group(4));
        PrefillSettings settings = new PrefillSettings(Method.parse(m.group(1)), "linear",
                Compressors.parse(m.group(2)), length, Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)),
                AttentionMode.parse(m.group(3)));
        ModelWeights weights = Llama2cLoader.load(Stories15m.ensureModel());
        settings.plan(weights.config().nLayers()); // refuse a bad combination before timing anything
        SplittableRandom r = new SplittableRandom(1);
        int[] tokens = new int[length];
        for (int i = 0; i < length; i++) {
            tokens[i] = r.nextInt(weights.config().vocabSize());
        }
        tokens[0] = 1; // BOS; TTFT does not depend on the ids
        // Opened once, outside the timing (a GPU compiles its kernels here); it lives as long as the fork.
        Backend backend = SlowedBackend.wrap(Backends.open(device, new MemoryLedger()), slowdown);
        return () -> ChunkedPrefill.run(weights, backend, settings, tokens, null).ttftNanos();
    }
}
