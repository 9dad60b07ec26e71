package dev.stepmem.bench.sweep;

import dev.stepmem.bench.sweep.SweepPoint.Kind;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The named sweeps, one per figure, each at two scales: {@code quick} fits this 2-core machine in
 * minutes (stories15M at scaled settings, plus modeled GPU rows, which cost seconds); {@code paper}
 * is the paper's exact settings, for a machine with a GPU (measured rows) and for the sim
 * everywhere. SnapKV runs with eager attention and StreamingLLM with flash, as in the paper.
 *
 * <p>RoPE: the stories15M points run under the reference code's rule (dynamic NTK for a forward
 * over more positions than the model's trained context, {@link dev.stepmem.model.RopeRule}). The
 * paper's compressed runs (c = m_max = 1024 on LLaMA-2's 4096) stayed within the context, so plain
 * RoPE; its full-attention baselines went past it, so NTK. The quick perplexity and probe points
 * (and Table 4's stories15M rows at both scales) therefore use c = {@link #STORIES_CHUNK} with
 * m_max up to c, so 4 sinks + m_max + c <= 252 positions stay within stories15M's 256 (plain
 * RoPE, as the paper's), while full attention goes past them (NTK, as the paper's).
 */
public final class Sweeps {
    /** The sweeps this runner knows, in the order {@code all} runs them. */
    public static final List<String> NAMES = List.of("fig1", "fig2", "fig4", "fig5", "ablation", "table4",
            "compressors");

    private static final Method[] METHODS = {Method.FM, Method.IM, Method.IMDC};

    /** c of stories15M's scaled perplexity and probe points: 4 + m_max + c <= 256 for m_max <= c (class comment). */
    static final int STORIES_CHUNK = 124;

    private Sweeps() {
    }

    /** Which settings a sweep is run at. */
    public enum Scale {
        QUICK, PAPER;

        public static Scale parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown --scale '" + s + "' (expected quick or paper)");
            }
        }
    }

    public static List<SweepPoint> points(String name, Scale scale) {
        String sweep = name + "-" + scale.name().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "fig1" -> fig1(sweep, scale);
            case "fig2" -> fig2(sweep, scale);
            case "fig4" -> fig4(sweep, scale);
            case "fig5" -> fig5(sweep, scale);
            case "ablation" -> ablation(sweep, scale);
            case "table4" -> table4(sweep, scale);
            case "compressors" -> compressors(sweep, scale);
            default -> throw new IllegalArgumentException("unknown sweep '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        };
    }

    /**
     * The points with every measured one repeated on each device (in that order); the sweeps write
     * measured points on "cpu", the runner's {@code --device} says where they really run.
     */
    public static List<SweepPoint> onDevices(List<SweepPoint> points, List<String> devices) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no device to measure on");
        }
        List<SweepPoint> out = new ArrayList<>();
        for (SweepPoint p : points) {
            if (p.kind() == Kind.MEASURED) {
                devices.forEach(d -> out.add(p.on(d)));
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Fig 1a, 1b and 6: the probes of METHOD.md §5 with FM and c = m_max on one book (the paper:
     * c = m_max = 1024, L = 32K; quick: stories15M's c = m_max = 124, L = 3968, the same 32 chunks).
     */
    private static List<SweepPoint> fig1(String sweep, Scale scale) {
        int l = scale == Scale.QUICK ? 32 * STORIES_CHUNK : 32768, c = scale == Scale.QUICK ? STORIES_CHUNK : 1024;
        List<SweepPoint> points = new ArrayList<>();
        for (String compressor : new String[] {"snapkv", "streamingllm"}) {
            points.add(new SweepPoint(sweep, Kind.PROBE, "stories15M", "f32", "cpu",
                    settings(Method.FM, compressor, l, c, c), "books", 1));
        }
        return points;
    }

    /**
     * Fig 5: perplexity of the last c tokens (METHOD.md §6) per domain, compressor, m_max and
     * method, averaged over documents, beside full attention on the same documents. Quick:
     * stories15M, 2 documents of 1984 tokens per domain (16 chunks), c = 124, m_max = c/4, c/2, c;
     * paper: 8 of 32768, c = 1024.
     */
    private static List<SweepPoint> fig5(String sweep, Scale scale) {
        boolean quick = scale == Scale.QUICK;
        int l = quick ? 16 * STORIES_CHUNK : 32768, c = quick ? STORIES_CHUNK : 1024, docs = quick ? 2 : 8;
        int[] memories = quick ? new int[] {c / 4, c / 2, c} : new int[] {256, 512, 1024};
        List<SweepPoint> points = new ArrayList<>();
        for (String domain : new String[] {"github", "arxiv", "books"}) {
            points.add(new SweepPoint(sweep, Kind.FULL_ATTENTION_PERPLEXITY, "stories15M", "f32", "cpu",
                    settings(Method.FM, "streamingllm", l, c, l), domain, docs));
            for (String compressor : new String[] {"snapkv", "streamingllm"}) {
                for (int m : memories) {
                    for (Method method : METHODS) {
                        points.add(new SweepPoint(sweep, Kind.PERPLEXITY, "stories15M", "f32", "cpu",
                                settings(method, compressor, l, c, m), domain, docs));
                    }
                }
            }
        }
        return points;
    }

    /** Fig 2: chunk and memory per step; quick = stories15M's n = 32 shape, paper = METHOD.md §3's example. */
    private static List<SweepPoint> fig2(String sweep, Scale scale) {
        int l = scale == Scale.QUICK ? 4096 : 8192, c = scale == Scale.QUICK ? 128 : 2048;
        List<SweepPoint> points = new ArrayList<>();
        for (Method m : METHODS) {
            points.add(new SweepPoint(sweep, Kind.SCHEDULE, "stories15M", "f32", "none",
                    settings(m, "streamingllm", l, c, c)));
        }
        return points;
    }

    /**
     * Fig 4: TTFT and peak memory of FM/IM/IMDC per m_max. Quick: stories15M measured on the CPU at
     * L = 4096, c = 128 (n = 32 as in the paper), m_max in {32, 64, 128}; plus LLaMA-2-7B modeled on
     * the RTX 3090 and A800 profiles at the paper's settings (seconds each), each bar twice: as the
     * paper's code runs it (reference-eager) and as an efficient engine does (efficient). Paper: the
     * modeled rows only (a GPU machine adds measured ones through its own device).
     */
    private static List<SweepPoint> fig4(String sweep, Scale scale) {
        List<SweepPoint> points = new ArrayList<>();
        if (scale == Scale.QUICK) {
            for (String compressor : new String[] {"snapkv", "streamingllm"}) {
                for (int m : new int[] {32, 64, 128}) {
                    for (Method method : METHODS) {
                        points.add(new SweepPoint(sweep, Kind.MEASURED, "stories15M", "f32", "cpu",
                                settings(method, compressor, 4096, 128, m)));
                    }
                }
            }
        }
        // METHOD.md §7, Fig 4: the 3090 at L = 8192; the A800 at L = 32768 (likely; not recorded).
        for (String implementation : IMPLEMENTATIONS) {
            addModeled(points, sweep, "rtx3090-24gb", "snapkv", 8192, 512, new int[] {128, 256, 512}, implementation);
            addModeled(points, sweep, "rtx3090-24gb", "streamingllm", 8192, 2048, new int[] {512, 1024, 2048},
                    implementation);
            addModeled(points, sweep, "a800-80gb", "snapkv", 32768, 1024, new int[] {256, 512, 1024}, implementation);
            addModeled(points, sweep, "a800-80gb", "streamingllm", 32768, 8192, new int[] {2048, 4096, 8192},
                    implementation);
        }
        return points;
    }

    /** Fig 4's modeled implementations: the paper's code, then an efficient engine on the same device. */
    static final List<String> IMPLEMENTATIONS = List.of("reference-eager", "efficient");

    private static void addModeled(List<SweepPoint> points, String sweep, String profile, String compressor, int l,
                                   int c, int[] memories, String implementation) {
        for (int m : memories) {
            for (Method method : METHODS) {
                points.add(SweepPoint.modeled(sweep, "llama2-7b", "bf16", profile, settings(method, compressor, l, c, m),
                        implementation));
            }
        }
    }

    /** IM's incremental functions: the five of METHOD.md §2, then the per-layer ones (IM only). */
    static final List<String> FUNCTIONS = List.of("linear", "square", "sqrt", "inverse_convex", "inverse_concave");
    static final List<String> PER_LAYER_FUNCTIONS = List.of("square_sqrt", "double_inverse", "adaptive");

    /**
     * The incremental-function ablation: TTFT and perplexity of IM (every function, per-layer ones
     * included) and IMDC (the five layer-independent ones), with FM as the reference, SnapKV (eager).
     * Quick: stories15M, TTFT measured at L = 4096, c = m_max = 128 (n = 32), perplexity on 4 books
     * of 1984 tokens at c = m_max = 124 (n = 16); plus LLaMA-2-7B TTFT modeled on the A800 at the headline setting
     * (L = 32768, c = m_max = 1024). Paper: perplexity at L = 32768, c = m_max = 1024 on 8 books,
     * and the modeled rows.
     */
    private static List<SweepPoint> ablation(String sweep, Scale scale) {
        boolean quick = scale == Scale.QUICK;
        List<SweepPoint> points = new ArrayList<>();
        int pplLength = quick ? 16 * STORIES_CHUNK : 32768, pplChunk = quick ? STORIES_CHUNK : 1024, pplDocs = quick ? 4 : 8;
        for (Method method : METHODS) {
            for (String f : functionsOf(method)) {
                if (quick) {
                    points.add(new SweepPoint(sweep, Kind.MEASURED, "stories15M", "f32", "cpu",
                            settings(method, f, "snapkv", 4096, 128, 128)));
                }
                points.add(new SweepPoint(sweep, Kind.PERPLEXITY, "stories15M", "f32", "cpu",
                        settings(method, f, "snapkv", pplLength, pplChunk, pplChunk), "books", pplDocs));
                points.add(SweepPoint.modeled(sweep, "llama2-7b", "bf16", "a800-80gb",
                        settings(method, f, "snapkv", 32768, 1024, 1024), "efficient"));
            }
        }
        return points;
    }

    /** FM has no function (one point, "linear" unused); IMDC takes the five; IM the per-layer ones too. */
    private static List<String> functionsOf(Method method) {
        return switch (method) {
            case FM -> List.of("linear");
            case IMDC -> FUNCTIONS;
            case IM -> java.util.stream.Stream.concat(FUNCTIONS.stream(), PER_LAYER_FUNCTIONS.stream()).toList();
        };
    }

    /**
     * Table 4: one very long input; full attention, FM and IMDC (c = m_max).
     * Modeled at both scales: LLaMA-2-7B on the A800 at L = 1,048,576, c = m_max = 1024, with SnapKV
     * (eager) and StreamingLLM (flash) (full attention runs out of memory). Measured with perplexity on stories15M and the 1.2M-token
     * books-long document: quick at L = 8184 = 66 c with c = m_max = 124 (full attention's quadratic
     * cost on 2 cores keeps the quick run in minutes), paper at 1,048,576 for FM and IMDC (full attention over 1M tokens on a
     * CPU would take days; its row is left to the modeled table).
     */
    private static List<SweepPoint> table4(String sweep, Scale scale) {
        boolean quick = scale == Scale.QUICK;
        int l = quick ? 66 * STORIES_CHUNK : 1_048_576, c = STORIES_CHUNK;
        List<SweepPoint> points = new ArrayList<>();
        for (Method method : new Method[] {null, Method.FM, Method.IMDC}) {
            boolean full = method == null;
            if (full && !quick) {
                continue;
            }
            PrefillSettings s = full ? settings(Method.FM, "linear", "streamingllm", l, c, l)
                    : settings(method, "linear", "streamingllm", l, c, c);
            points.add(new SweepPoint(sweep, Kind.MEASURED, "stories15M", "f32", "cpu", s, "random", 1,
                    full || !quick ? 1 : 0));
            points.add(new SweepPoint(sweep, full ? Kind.FULL_ATTENTION_PERPLEXITY : Kind.PERPLEXITY, "stories15M",
                    "f32", "cpu", s, "books", 1));
        }
        int big = 1_048_576;
        points.add(SweepPoint.modeled(sweep, "llama2-7b", "bf16", "a800-80gb",
                settings(Method.FM, "linear", "streamingllm", big, 1024, big), "efficient"));
        // Table 4 does not record its compressor: both, SnapKV (eager) being the headline's pairing
        for (String compressor : new String[] {"snapkv", "streamingllm"}) {
            for (Method method : new Method[] {Method.FM, Method.IMDC}) {
                points.add(SweepPoint.modeled(sweep, "llama2-7b", "bf16", "a800-80gb",
                        settings(method, "linear", compressor, big, 1024, 1024), "efficient"));
            }
        }
        return points;
    }

    /** The compressors the trade-off compares: the paper's two, those beyond it, and the random control. */
    static final List<String> COMPRESSORS = List.of("snapkv", "streamingllm", "h2o", "tova", "scissorhands", "knorm",
            "sage-kv", "pyramidkv", "random");

    /**
     * The compressor trade-off: for each compressor under FM, IM and IMDC at one setting, TTFT and
     * peak memory (measured on the CPU at quick scale, modeled for LLaMA-2-7B on the A800 at both)
     * beside the perplexity of the final chunk. Quick: stories15M at L = 1984, c = m_max = 124
     * (n = 16, plain RoPE in every compressed forward, as for Fig 5), perplexity on 2 books of 1984
     * tokens; paper: perplexity at L = 32768,
     * c = m_max = 1024 on 8 books. The compressors beyond the paper run with flash attention.
     */
    private static List<SweepPoint> compressors(String sweep, Scale scale) {
        boolean quick = scale == Scale.QUICK;
        int c = quick ? STORIES_CHUNK : 1024, l = quick ? 16 * c : 32768, docs = quick ? 2 : 8;
        List<SweepPoint> points = new ArrayList<>();
        points.add(new SweepPoint(sweep, Kind.FULL_ATTENTION_PERPLEXITY, "stories15M", "f32", "cpu",
                settings(Method.FM, "streamingllm", l, c, l), "books", docs));
        for (String compressor : COMPRESSORS) {
            for (Method method : METHODS) {
                if (quick) {
                    points.add(new SweepPoint(sweep, Kind.MEASURED, "stories15M", "f32", "cpu",
                            settings(method, compressor, l, c, c)));
                }
                points.add(new SweepPoint(sweep, Kind.PERPLEXITY, "stories15M", "f32", "cpu",
                        settings(method, compressor, l, c, c), "books", docs));
                points.add(SweepPoint.modeled(sweep, "llama2-7b", "bf16", "a800-80gb",
                        settings(method, compressor, 32768, 1024, 1024), "efficient"));
            }
        }
        return points;
    }

    /** SnapKV with eager attention, StreamingLLM with flash (the paper's pairing), linear IM/IMDC. */
    static PrefillSettings settings(Method method, String compressor, int l, int c, int m) {
        return settings(method, "linear", compressor, l, c, m);
    }

    static PrefillSettings settings(Method method, String function, String compressor, int l, int c, int m) {
        AttentionMode attention = compressor.startsWith("snapkv") ? AttentionMode.EAGER : AttentionMode.FLASH;
        return new PrefillSettings(method, function, Compressors.parse(compressor), l, c, m, attention);
    }
}
