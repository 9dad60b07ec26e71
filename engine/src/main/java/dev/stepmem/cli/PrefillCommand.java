package dev.stepmem.cli;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.DeviceOutOfMemoryException;
import dev.stepmem.backend.gpu.GpuBackend;
import dev.stepmem.exit.ExitCodes;
import dev.stepmem.exit.UsageException;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.prefill.ChunkedPrefill;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PerplexityResult;
import dev.stepmem.prefill.PrefillResult;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.StepRecord;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.prefill.schedule.MemorySchedule;
import dev.stepmem.results.RunRecordCsv;
import dev.stepmem.results.RunRecord;
import dev.stepmem.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One chunked prefill (FM / IM / IMDC): TTFT, peak memory, the per-step schedule, optionally PPL. */
@Command(name = "prefill", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Chunked prefill with bounded memory (METHOD.md §1-4), timed as TTFT.",
                "Prints the per-step schedule (chunk, positions attended, memory kept, retention), TTFT, "
                        + "peak memory by category and, with --ppl, the perplexity of METHOD.md §6."})
public final class PrefillCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    BackendOption backendOption;

    @Option(names = "--method", defaultValue = "imdc", paramLabel = "M",
            description = "fm, im or imdc (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--function", defaultValue = "linear", paramLabel = "F",
            description = "IM/IMDC memory growth: linear, square, sqrt, inverse_convex, inverse_concave; IM also "
                    + "square_sqrt, double_inverse, adaptive, fixed_incremental (default: ${DEFAULT-VALUE}).")
    String function;

    @Option(names = "--compressor", defaultValue = "snapkv", paramLabel = "C",
            description = "snapkv (the authors' pruner: its observation window and strided GQA sums), "
                    + "snapkv-contiguous-gqa, snapkv-chunk-window (our window: the chunk's rows only), "
                    + "snapkv-window[:W] (the original SnapKV), streamingllm; beyond the paper: h2o, tova, "
                    + "scissorhands, knorm, sage-kv, sage-kv-token, pyramidkv[:C], random[:SEED] (default: ${DEFAULT-VALUE}).")
    String compressor;

    @Option(names = "--attention", defaultValue = "flash", paramLabel = "MODE",
            description = "flash (streaming softmax over the chunk's rows, nothing kept) or eager (the paper's "
                    + "SnapKV conditions: [heads, S, S] maps for every position, kept per layer until "
                    + "compression) (default: ${DEFAULT-VALUE}).")
    String attention;

    @Option(names = {"-L", "--length"}, required = true, paramLabel = "N", description = "Input tokens L.")
    int length;

    @Option(names = {"-c", "--chunk"}, defaultValue = "128", paramLabel = "N",
            description = "Chunk size c (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--memory", defaultValue = "64", paramLabel = "N",
            description = "Memory limit m_max in tokens, sinks not counted (default: ${DEFAULT-VALUE}).")
    int memory;

    @Option(names = "--input", paramLabel = "FILE",
            description = "A UTF-8 text file; its first L tokens are used. Default: seeded random token ids.")
    Path input;

    @Option(names = "--input-seed", defaultValue = "1", paramLabel = "N",
            description = "Seed of the random token ids when no --input is given (default: ${DEFAULT-VALUE}).")
    long inputSeed;

    @Option(names = "--ppl", description = "Also measure perplexity of the last c tokens (METHOD.md §6) and the "
            + "full-attention reference on the same tokens.")
    boolean ppl;

    @Option(names = "--within-context", description = "Refuse settings whose forwards exceed the model's trained context.")
    boolean withinContext;

    @Option(names = "--memory-limit", paramLabel = "SIZE",
            description = "Device memory capacity for the ledger, e.g. 24GiB or 500MB; beyond it the run reports OOM.")
    String memoryLimit;

    @Option(names = "--probe-attention", description = "Also measure the mean attention each memory token gets per "
            + "step (METHOD.md §5, Fig 1a); an extra pass per layer, so TTFT is not comparable.")
    boolean probeAttention;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Append the run as a result row (source measured|modeled, profile and its sha256, settings, "
                    + "TTFT, peak, OOM) to this CSV file.")
    Path csv;

    @Option(names = "--steps", description = "Print every step's row (default: when there are at most 40 steps).")
    Boolean printSteps;

    @Override
    public Integer call() {
        // Everything that can be checked is checked before weights are loaded, and before any work.
        PrefillSettings settings = ExitCodes.option(() -> new PrefillSettings(Method.parse(method),
                MemorySchedule.requireKnownName(function), Compressors.parse(compressor), length, chunk, memory,
                AttentionMode.parse(attention)));
        Long limit = memoryLimit == null ? null : ExitCodes.option(() -> ByteSize.parse(memoryLimit, "--memory-limit"));
        if (input != null && (!Files.isReadable(input) || Files.isDirectory(input))) {
            throw new IllegalArgumentException("--input " + input + ": no such readable file");
        }
        if (input != null) { // the text, its UTF-16 copy and the token ids (at most one per byte, 4 bytes each)
            HostMemory.requireHeap("--input " + input, HostMemory.product(fileSize(input), 7));
        }
        backendOption.check();
        boolean sim = backendOption.isSim();
        if (sim && (ppl || probeAttention)) {
            throw new UsageException("--backend sim computes no values: --ppl and --probe-attention need "
                    + "the cpu or reference backend");
        }
        if (ppl) {
            ExitCodes.option(() -> ChunkedPrefill.checkPerplexity(settings));
        }
        if (csv != null) {
            RunRecordCsv.checkAppendable(csv);
        }
        HostMemory.requireHeap("-L " + length + " (the input's token ids)", HostMemory.product(length, Integer.BYTES));
        RunSource source = sim ? RunSource.modeled(backendOption.profile())
                : RunSource.measured(backendOption.profiles.registry());
        try (ModelWeights weights = model.loadWeights(sim)) {
            Backend backend = backendOption.create(limit, weights.matrixType());
            long freeAtStart = backend instanceof GpuBackend gpu ? gpu.runtime().driverFreeBytes().orElse(0) : 0;
            ExitCodes.option(() -> settings.plan(weights.config().nLayers())); // e.g. an empty IMDC chunk, before any work
            if (ppl && backendOption.onHostMemory() && limit == null) {
                HostMemory.requireNative("--ppl at L = " + length + " (the full-attention reference keeps the KV "
                        + "cache of all L positions)", fullAttentionBytes(weights.config()));
            }
            if (withinContext) {
                settings.checkWithinContext(weights.config());
            }
            int[] tokens = input != null ? tokensOf(input, model.loadTokenizer(weights))
                    : randomTokens(weights.config().vocabSize());
            System.out.printf("%s on %s (%s backend)%n", settings, weights.source(), backend.name());
            System.out.println(source.describe());
            int ntk = weights.config().dynamicNtkContext();
            System.out.println(ntk > 0 ? "RoPE: dynamic NTK for forwards over " + (ntk + 1) + " positions" : "RoPE: plain");
            try {
                DeviceSteps transfers = backend instanceof GpuBackend gpu
                        ? new DeviceSteps(gpu, freeAtStart, progress("prefill")) : null;
                PrefillResult r = ChunkedPrefill.run(weights, backend, settings, tokens,
                        transfers != null ? transfers : progress("prefill"), probeAttention);
                report(r, weights);
                if (transfers != null) {
                    transfers.print(printSteps != null ? printSteps : r.steps().size() <= 40);
                }
                if (backend instanceof dev.stepmem.backend.cuda.CudaBackend cuda) {
                    System.out.println("device memory: " + cuda.memoryCrossCheck()); // the ledger beside cuMemGetInfo
                }
                if (backend instanceof dev.stepmem.backend.sim.SimBackend simBackend) {
                    StringBuilder ops = new StringBuilder();
                    simBackend.secondsByOp().entrySet().stream()
                            .sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed())
                            .forEach(e -> ops.append(ops.isEmpty() ? "" : ", ").append(e.getKey())
                                    .append(String.format(java.util.Locale.ROOT, " %.1f ms", e.getValue() * 1e3)));
                    System.out.println("modeled time by op: " + ops);
                    System.out.println("modeled: no values were computed, so the first token means nothing; "
                            + "TTFT and memory are the cost model's");
                }
                if (ppl) {
                    var before = backend instanceof GpuBackend gpu ? gpu.transfers() : null;
                    PerplexityResult p = ChunkedPrefill.perplexity(weights, backend, settings, tokens, progress("ppl"));
                    printScoredSchedule(p);
                    if (before != null) {
                        System.out.println("host-device copies of the perplexity run (prefix and scored chunk): "
                                + ((GpuBackend) backend).transfers().since(before).describe());
                    }
                    PerplexityResult full = ChunkedPrefill.fullAttentionPerplexity(weights, backend, tokens, chunk,
                            progress("full attention"));
                    System.out.printf("PPL of the last %d tokens: %.4f (%s); full attention %.4f%n",
                            p.scoredTokens(), p.perplexity(), settings.method().cliName(), full.perplexity());
                }
                // Only a run that finished writes its row.
                appendCsv(source, backend, weights, settings, r.ttftNanos() / 1e6, r.peakBytes(), false, r.peakBytes());
            } catch (DeviceOutOfMemoryException e) {
                System.out.printf("OOM: %s%n", e.getMessage());
                appendCsv(source, backend, weights, settings, Double.NaN, backend.ledger().peak(), true, e.needed());
                return 3;
            }
        }
        return 0;
    }

    private void appendCsv(RunSource source, Backend backend, ModelWeights weights, PrefillSettings settings,
                           double ttftMs, long peak, boolean oom, long needed) {
        if (csv == null) {
            return;
        }
        RunRecordCsv.append(csv, java.util.List.of(new RunRecord(source.kind(), backend.name(), source.profileName(),
                source.profileHash(), model.modelName(weights), model.weightsKind(weights),
                weights.matrixType().name().toLowerCase(java.util.Locale.ROOT), settings,
                settings.method().cliName(), ttftMs, peak, oom, needed, backend.ledger().capacity(),
                java.time.Instant.now().toString())));
    }

    private void report(PrefillResult r, ModelWeights weights) {
        printSchedule(r);
        System.out.printf("TTFT %.1f ms (%.0f tokens/s), first token %d%n", r.ttftNanos() / 1e6, r.tokensPerSecond(), r.firstToken());
        System.out.printf("last logits sha256 %s (their exact bits)%n", dev.stepmem.assets.Sha256.ofFloats(r.lastLogits()));
        StringBuilder parts = new StringBuilder();
        new java.util.TreeMap<>(r.peakByCategory()).forEach((category, bytes) ->
                parts.append(parts.isEmpty() ? "" : ", ").append(category).append(' ').append(ByteSize.format(bytes)));
        System.out.printf("peak memory %s (ledger; each category's own peak: %s)%n", ByteSize.format(r.peakBytes()), parts);
        System.out.printf("memory per layer at the end %s%n", Arrays.toString(r.memoryPerLayer()));
    }

    /** The step table (when short enough, or --steps) and the chunk list of a run. */
    private void printSchedule(PrefillResult r) {
        boolean rows = printSteps != null ? printSteps : r.steps().size() <= 40;
        if (rows) {
            System.out.println(" step  chunk  attended  memory  selected  retention      ms" + (probeAttention ? "  mem.attention" : ""));
            for (int i = 0; i < r.steps().size(); i++) {
                StepRecord s = r.steps().get(i);
                String row = String.format("%5d %6d %9d %7d %9s %10s %7.1f", i, s.chunkTokens(), s.forwardLength(),
                        s.memoryAfter(), s.selected() ? "yes" : "no", orDash(s.retention(), "%.3f"), s.nanos() / 1e6);
                System.out.println(probeAttention ? row + String.format("  %13s", orDash(s.memoryAttention(), "%.6f")) : row);
            }
        }
        System.out.printf("steps %d, chunks %s%n", r.steps().size(), summary(r.steps().stream().mapToInt(StepRecord::chunkTokens).toArray()));
    }

    /** What --ppl scored: the L - c prefix's own schedule, then the final chunk of c tokens. */
    private void printScoredSchedule(PerplexityResult p) {
        PrefillResult prefix = p.prefix();
        int[] memory = prefix.memoryPerLayer();
        System.out.printf("perplexity: the first %d tokens prefilled by %s as%n", length - p.scoredTokens(),
                prefix.settings().method().cliName());
        printSchedule(prefix);
        System.out.printf("then the last %d tokens scored in one chunk over %d sinks + memory %s%n", p.scoredTokens(),
                PrefillSettings.SINKS,
                Arrays.stream(memory).distinct().count() == 1 ? String.valueOf(memory[0]) : Arrays.toString(memory));
    }

    private static String orDash(double value, String format) {
        return Double.isNaN(value) ? "-" : String.format(format, value);
    }

    private static String summary(int[] a) {
        return a.length <= 12 ? Arrays.toString(a) : Arrays.toString(Arrays.copyOf(a, 6)).replace("]", ", ... ")
                + a[a.length - 1] + "]";
    }

    private ChunkedPrefill.Progress progress(String task) {
        if (length < 16_384) {
            return null; // short runs finish before a progress line would help
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(length).setUnit(" tok", 1)
                .setStyle(ProgressBarStyle.ASCII).showSpeed().setConsumer(
                        new me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer(System.err)).build();
        return (step, steps, done, total, elapsed) -> {
            bar.maxHint(total);
            bar.stepTo(done);
            bar.setExtraMessage("chunk " + (step + 1) + "/" + steps);
            if (step + 1 == steps) {
                bar.close();
            }
        };
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--input " + file + ": cannot read: " + e.getMessage());
        }
    }

    private int[] tokensOf(Path file, Tokenizer tokenizer) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--input " + file + ": cannot read as UTF-8 text: " + e.getMessage());
        }
        int[] ids = tokenizer.encode(text, true, false);
        if (ids.length < length) {
            throw new IllegalArgumentException("--input " + file + " has " + ids.length + " tokens, fewer than L = " + length);
        }
        return Arrays.copyOf(ids, length);
    }

    /** The full-attention reference's KV cache and rotated keys: [(2 layers + 1), L, kvDim] fp32. */
    private long fullAttentionBytes(dev.stepmem.model.ModelConfig c) {
        return HostMemory.product(4, 2L * c.nLayers() + 1, length, c.kvDim());
    }

    private int[] randomTokens(int vocab) {
        SplittableRandom r = new SplittableRandom(inputSeed);
        int[] ids = new int[length];
        ids[0] = 1; // BOS
        for (int i = 1; i < length; i++) {
            ids[i] = 3 + r.nextInt(vocab - 3); // skip <unk>, <s>, </s>
        }
        return ids;
    }
}
