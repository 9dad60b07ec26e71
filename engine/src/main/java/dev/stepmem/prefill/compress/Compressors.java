package dev.stepmem.prefill.compress;

import java.util.List;
import java.util.Locale;

/** Compressors by name, for the CLI and the sweep runner. */
public final class Compressors {
    private Compressors() {}

    /** The accepted spellings; "snapkv-window:W" sets the original SnapKV's window to W rows. */
    public static final List<String> NAMES = List.of(
            StreamingLlm.NAME, SnapKv.NAME, SnapKv.NAME_CONTIGUOUS_GQA, SnapKv.NAME_CHUNK_WINDOW, SnapKvWindow.NAME, SnapKvWindow.NAME + ":<rows>");

    /**
     * Case-insensitive; '_' reads as '-'; "streaming-llm" (the reference's "streaming_llm") is an
     * alias of "streamingllm".
     *
     * @throws IllegalArgumentException for an unknown name, listing the valid ones
     */
    public static Compressor parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("compressor name must not be null; valid: " + String.join(", ", NAMES));
        }
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (n) {
            case StreamingLlm.NAME, "streaming-llm" -> {
                return new StreamingLlm();
            }
            case SnapKv.NAME -> {
                return new SnapKv();
            }
            case SnapKv.NAME_CONTIGUOUS_GQA -> {
                return new SnapKv(GqaGrouping.CONTIGUOUS);
            }
            case SnapKv.NAME_CHUNK_WINDOW -> {
                return new SnapKv(GqaGrouping.STRIDED, ObservationWindow.CHUNK_ONLY);
            }
            case SnapKvWindow.NAME -> {
                return new SnapKvWindow();
            }
            default -> {
                String prefix = SnapKvWindow.NAME + ":";
                if (n.startsWith(prefix)) {
                    return new SnapKvWindow(parseWindow(name, n.substring(prefix.length())));
                }
                throw new IllegalArgumentException("unknown compressor '" + name + "'; valid: " + String.join(", ", NAMES));
            }
        }
    }

    private static int parseWindow(String name, String rows) {
        try {
            int w = Integer.parseInt(rows);
            if (w >= 1) {
                return w;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("compressor '" + name + "': the window after ':' must be a positive "
                + "number of query rows, e.g. snapkv-window:64");
    }
}
