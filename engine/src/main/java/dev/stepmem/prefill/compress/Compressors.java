package dev.stepmem.prefill.compress;

import java.util.List;
import java.util.Locale;

/** Compressors by name, for the CLI and the sweep runner. */
public final class Compressors {
    private Compressors() {}

    /**
     * The accepted spellings; "snapkv-window:W" sets the original SnapKV's window to W rows,
     * "pyramidkv:NAME" puts compressor NAME under PyramidKV's per-layer budget, "random:SEED" seeds random.
     */
    public static final List<String> NAMES = List.of(
            StreamingLlm.NAME, SnapKv.NAME, SnapKv.NAME_CONTIGUOUS_GQA, SnapKv.NAME_CHUNK_WINDOW, SnapKvWindow.NAME,
            SnapKvWindow.NAME + ":<rows>", H2o.NAME, Tova.NAME, Scissorhands.NAME, KNorm.NAME, SageKv.NAME,
            SageKv.NAME_TOKEN_LEVEL, PyramidKv.NAME, PyramidKv.NAME + ":<compressor>", RandomEviction.NAME,
            RandomEviction.NAME + ":<seed>");

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
            case H2o.NAME -> {
                return new H2o();
            }
            case Tova.NAME -> {
                return new Tova();
            }
            case Scissorhands.NAME -> {
                return new Scissorhands();
            }
            case KNorm.NAME -> {
                return new KNorm();
            }
            case SageKv.NAME, "sagekv" -> {
                return new SageKv(false);
            }
            case SageKv.NAME_TOKEN_LEVEL, "sagekv-token" -> {
                return new SageKv(true);
            }
            case PyramidKv.NAME -> {
                return new PyramidKv(new SnapKv());
            }
            case RandomEviction.NAME -> {
                return new RandomEviction(RandomEviction.DEFAULT_SEED);
            }
            default -> {
                String prefix = SnapKvWindow.NAME + ":";
                if (n.startsWith(prefix)) {
                    return new SnapKvWindow(parseWindow(name, n.substring(prefix.length())));
                }
                if (n.startsWith(PyramidKv.NAME + ":")) {
                    return parsePyramid(name, n.substring(PyramidKv.NAME.length() + 1));
                }
                if (n.startsWith(RandomEviction.NAME + ":")) {
                    return new RandomEviction(parseSeed(name, n.substring(RandomEviction.NAME.length() + 1)));
                }
                throw new IllegalArgumentException("unknown compressor '" + name + "'; valid: " + String.join(", ", NAMES));
            }
        }
    }

    private static Compressor parsePyramid(String name, String inner) {
        try {
            return new PyramidKv(parse(inner));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("compressor '" + name + "': after 'pyramidkv:' comes the compressor "
                    + "that selects, e.g. pyramidkv:h2o; " + e.getMessage());
        }
    }

    private static long parseSeed(String name, String seed) {
        try {
            return Long.parseLong(seed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("compressor '" + name + "': the seed after ':' must be an integer, "
                    + "e.g. random:7");
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
