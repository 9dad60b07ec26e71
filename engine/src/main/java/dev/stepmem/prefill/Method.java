package dev.stepmem.prefill;

import java.util.Locale;

/** How memory grows and chunks are cut (METHOD.md §2-3). */
public enum Method {
    /** Fixed-size memory: m_max at every step, chunks of c. */
    FM,
    /** Incremental memory: m_i grows by an incremental function to m_max, chunks of c. */
    IM,
    /** Incremental memory with decremental chunks: IM's schedule, chunks shrink as memory grows. */
    IMDC;

    public static Method parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown method '" + name + "' (expected fm, im or imdc)");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
