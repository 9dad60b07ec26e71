package dev.stepmem.bench.gate;

import dev.stepmem.model.AttentionMode;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configuration the TTFT gate times: a stories15M chunked prefill of L random tokens (IM/IMDC
 * with the linear function). Its {@link #id()}, e.g. {@code fm/snapkv/flash/L2048/c128/m128}, keys
 * the baseline's rows, so changing the fixed set means refreshing the baseline.
 */
public record GateConfig(Method method, String compressor, AttentionMode attention, int length, int chunk,
                         int memory) {
    /** IM/IMDC's incremental function; FM ignores it. */
    public static final String FUNCTION = "linear";

    private static final Pattern ID = Pattern.compile("([a-z]+)/([a-z-]+)/([a-z]+)/L(\\d+)/c(\\d+)/m(\\d+)");

    /**
     * The fixed set: {fm, imdc} x {snapkv, streamingllm} x {flash, eager} at L = 2048, c = 128,
     * m_max = 128 (the paper's m_max / c = 1 shape, 16 chunks): long enough that compression runs
     * in every step after the first, short enough that the whole gate fits CI's time budget.
     */
    public static final List<GateConfig> DEFAULTS = defaults(2048, 128, 128);

    public GateConfig {
        settings(method, compressor, attention, length, chunk, memory).plan(6); // refuse a bad combination early
    }

    static List<GateConfig> defaults(int length, int chunk, int memory) {
        List<GateConfig> all = new ArrayList<>();
        for (Method m : List.of(Method.FM, Method.IMDC)) {
            for (String c : List.of("snapkv", "streamingllm")) {
                for (AttentionMode a : List.of(AttentionMode.FLASH, AttentionMode.EAGER)) {
                    all.add(new GateConfig(m, c, a, length, chunk, memory));
                }
            }
        }
        return List.copyOf(all);
    }

    public String id() {
        return method.cliName() + "/" + compressor + "/" + attention.cliName() + "/L" + length + "/c" + chunk + "/m"
                + memory;
    }

    public PrefillSettings settings() {
        return settings(method, compressor, attention, length, chunk, memory);
    }

    private static PrefillSettings settings(Method method, String compressor, AttentionMode attention, int length,
                                            int chunk, int memory) {
        return new PrefillSettings(method, FUNCTION, Compressors.parse(compressor), length, chunk, memory, attention);
    }

    /** The configuration of an id like {@code imdc/streamingllm/eager/L2048/c128/m128}. */
    public static GateConfig parse(String id) {
        Matcher m = ID.matcher(id.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("configuration '" + id + "' is not METHOD/COMPRESSOR/ATTENTION/L<n>/c<n>/m<n>, "
                    + "e.g. " + DEFAULTS.getFirst().id());
        }
        try {
            return new GateConfig(Method.parse(m.group(1)), Compressors.parse(m.group(2)).name(),
                    AttentionMode.parse(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    Integer.parseInt(m.group(6)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration '" + id + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return id();
    }
}
