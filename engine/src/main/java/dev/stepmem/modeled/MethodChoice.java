package dev.stepmem.modeled;

import dev.stepmem.model.AttentionMode;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressor;
import dev.stepmem.prefill.compress.Compressors;
import java.util.Locale;

/**
 * What a sweep or frontier row runs: FM, IM or IMDC, or {@code full} attention: chunked prefill
 * that keeps everything (FM with m_max = L and StreamingLLM, which then never selects), the
 * paper's "full attention" baseline for time and memory.
 */
public record MethodChoice(String label, Method method) {
    public static final MethodChoice FULL = new MethodChoice("full", Method.FM);

    public static MethodChoice parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("full")) {
            return FULL;
        }
        Method m = Method.parse(n);
        return new MethodChoice(m.cliName(), m);
    }

    public boolean isFull() {
        return this == FULL || label.equals("full");
    }

    /** The settings of this method; full attention ignores memory and compressor. */
    public PrefillSettings settings(String function, Compressor compressor, int length, int chunk, int memory,
                                    AttentionMode attention) {
        if (isFull()) {
            return new PrefillSettings(Method.FM, function, Compressors.parse("streamingllm"), length, chunk, length,
                    attention);
        }
        return new PrefillSettings(method, function, compressor, length, chunk, memory, attention);
    }
}
