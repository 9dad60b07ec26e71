package dev.stepmem.prefill;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.CrossEntropy;
import dev.stepmem.backend.Tensor;
import dev.stepmem.generate.Sampler;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.KvCache;
import dev.stepmem.model.LlamaModel;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.prefill.compress.Compressor;
import dev.stepmem.prefill.compress.History;
import dev.stepmem.prefill.compress.KeyNorms;
import dev.stepmem.prefill.compress.Selection;
import dev.stepmem.prefill.compress.StepContext;
import dev.stepmem.prefill.schedule.AdaptiveSchedule;
import dev.stepmem.prefill.schedule.ChunkPlan;
import dev.stepmem.prefill.schedule.FixedIncrementalMemory;
import dev.stepmem.prefill.schedule.MemorySchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The prefill loop of METHOD.md §1:
 * <pre>
 *   memory = empty
 *   for each chunk i:   forward [sinks | memory | chunk] causally (keys cached before RoPE,
 *                       re-rotated at contiguous positions every step)
 *                       per layer, per KV head: keep m_i of [memory ∪ chunk] (sinks always kept)
 *   first token = argmax of the last position's logits
 * </pre>
 * The cache holds, per layer, rows [0, 4) = sinks, then the memory, then the current chunk; the
 * compressor's indices count candidates after the sinks. Buffers are sized once for the plan's
 * largest chunk and forward, so the ledger's peak is the peak of the whole run.
 */
public final class ChunkedPrefill {
    private static final int SINKS = PrefillSettings.SINKS;

    /** Called after every chunk, for progress lines on long inputs. */
    @FunctionalInterface
    public interface Progress {
        void afterStep(int step, int steps, long tokensDone, long tokensTotal, long elapsedNanos);

        /** Called once the model is built (weights uploaded, buffers allocated), before the first chunk. */
        default void beforeFirstStep() {
        }
    }

    private ChunkedPrefill() {
    }

    /**
     * Runs one chunked prefill. The ledger's peak is reset at the start, so the result's peak covers
     * the weights, this run's buffers, KV memory and scores. Model construction (weight upload and
     * buffer allocation, a warm engine's one-time work) is not part of TTFT.
     */
    public static PrefillResult run(ModelWeights weights, Backend backend, PrefillSettings settings, int[] tokens,
                                    Progress progress) {
        return run(weights, backend, settings, tokens, progress, false);
    }

    /**
     * @param probeAttention also measure, per step, the mean attention probability that the chunk's
     *                       queries give each memory token (METHOD.md §5, Fig 1a); costs one more
     *                       pass over each layer's attention, so TTFT is not comparable then
     */
    public static PrefillResult run(ModelWeights weights, Backend backend, PrefillSettings settings, int[] tokens,
                                    Progress progress, boolean probeAttention) {
        ModelConfig config = weights.config();
        if (tokens.length != settings.length()) {
            throw new IllegalArgumentException("the input has " + tokens.length + " tokens but L = " + settings.length());
        }
        ChunkPlan plan = settings.plan(config.nLayers());
        backend.ledger().resetPeak();
        try (LlamaModel model = new LlamaModel(weights, backend, maxChunk(plan), maxForward(plan, config), 1,
                settings.attention());
             KvCache cache = model.newCache()) {
            return new Loop(model, cache, settings, plan, progress, probeAttention).run(tokens);
        }
    }

    /**
     * Perplexity as METHOD.md §6: the first L - c tokens are prefilled by the method's schedule,
     * then one final chunk of c tokens runs with the memory that leaves (m_max under every
     * method) and is scored: c predictions, the first from the prefix's last position.
     * PPL = exp(mean cross-entropy).
     */
    public static PerplexityResult perplexity(ModelWeights weights, Backend backend, PrefillSettings settings,
                                              int[] tokens, Progress progress) {
        ModelConfig config = weights.config();
        int l = settings.length(), c = settings.chunk();
        if (tokens.length != l) {
            throw new IllegalArgumentException("the input has " + tokens.length + " tokens but L = " + l);
        }
        checkScoredPrefix(l, c);
        PrefillSettings prefix = new PrefillSettings(settings.method(), settings.function(), settings.compressor(),
                l - c, c, settings.memory(), settings.attention());
        ChunkPlan plan = prefix.plan(config.nLayers());
        int maxChunk = Math.max(maxChunk(plan), c);
        int maxForward = Math.max(maxForward(plan, config), SINKS + finalMemory(plan, config) + c);
        backend.ledger().resetPeak();
        try (LlamaModel model = new LlamaModel(weights, backend, maxChunk, maxForward, c, settings.attention());
             KvCache cache = model.newCache()) {
            PrefillResult prefilled = new Loop(model, cache, prefix, plan, progress, false).run(Arrays.copyOf(tokens, l - c));
            return scoreTail(model, cache, prefilled.lastLogits(), Arrays.copyOfRange(tokens, l - c, l), prefilled);
        }
    }

    /**
     * Greedy decoding from the compressed memory (the quality tasks): the chunked prefill of
     * {@code tokens}, then greedy tokens one forward each over [sinks | memory | tokens so far],
     * with no further compression, so decoding reads 4 + m_max positions plus its own. Stops after
     * {@code maxNewTokens} tokens or after a token {@code stop} accepts (kept in the result).
     */
    public static Decoded decodeGreedy(ModelWeights weights, Backend backend, PrefillSettings settings, int[] tokens,
                                       int maxNewTokens, IntPredicate stop) {
        ModelConfig config = weights.config();
        if (tokens.length != settings.length()) {
            throw new IllegalArgumentException("the input has " + tokens.length + " tokens but L = " + settings.length());
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("decoding needs at least 1 new token, got " + maxNewTokens);
        }
        ChunkPlan plan = settings.plan(config.nLayers());
        int maxForward = Math.max(maxForward(plan, config), SINKS + finalMemory(plan, config) + maxNewTokens);
        backend.ledger().resetPeak();
        try (LlamaModel model = new LlamaModel(weights, backend, maxChunk(plan), maxForward, 1, settings.attention());
             KvCache cache = model.newCache()) {
            PrefillResult prefilled = new Loop(model, cache, settings, plan, null, false).run(tokens);
            int[] out = new int[maxNewTokens];
            int n = 0;
            int next = prefilled.firstToken();
            while (true) {
                out[n++] = next;
                if (n == maxNewTokens || stop.test(next)) {
                    break;
                }
                model.forward(new int[] {next}, cache, false);
                model.releaseAttentionMaps(); // EAGER keeps maps per forward; decoding needs none
                next = Sampler.argmax(model.logitsRow(0));
            }
            return new Decoded(prefilled, Arrays.copyOf(out, n));
        }
    }

    /** Refuses settings whose perplexity cannot be measured: the scored chunk needs a prefix of sinks and a token. */
    public static PrefillSettings checkPerplexity(PrefillSettings settings) {
        checkScoredPrefix(settings.length(), settings.chunk());
        return settings;
    }

    /**
     * The full-attention reference of §6: the same final c tokens, scored by one forward over
     * the whole document, as the reference code's uncompressed model runs it. Under dynamic-NTK
     * RoPE that one forward's length sets the scaling; with plain RoPE it equals chunked causal
     * attention over everything. The result has no prefix run (null).
     */
    public static PerplexityResult fullAttentionPerplexity(ModelWeights weights, Backend backend, int[] tokens, int c,
                                                           Progress progress) {
        int l = tokens.length;
        checkScoredPrefix(l, c);
        backend.ledger().resetPeak();
        long start = backend.nanoTime();
        try (LlamaModel model = new LlamaModel(weights, backend, l, l, c, AttentionMode.FLASH);
             KvCache cache = model.newCache()) {
            model.forwardLogitsOf(tokens, cache, l - c - 1, c); // row t predicts token t + 1
            double nll = 0;
            for (int t = 0; t < c; t++) {
                nll += CrossEntropy.of(model.logitsRow(t), tokens[l - c + t]);
            }
            if (progress != null) {
                progress.afterStep(0, 1, l, l, backend.nanoTime() - start);
            }
            double mean = nll / c;
            return new PerplexityResult(Math.exp(mean), mean, c, null);
        }
    }

    private static void checkScoredPrefix(int l, int c) {
        if (c < 1 || l - c < SINKS + 1) {
            throw new IllegalArgumentException("perplexity needs L - c >= " + (SINKS + 1)
                    + " tokens of prefix before the scored chunk, got L = " + l + ", c = " + c);
        }
    }

    private static PerplexityResult scoreTail(LlamaModel model, KvCache cache, float[] prefixLast, int[] tail,
                                              PrefillResult prefilled) {
        double nll = CrossEntropy.of(prefixLast, tail[0]);
        Tensor logits = model.forward(tail, cache, true);
        // Row t predicts token t + 1; the losses come back, not the [c, V] logits.
        for (double loss : model.backend().crossEntropy(logits, tail.length - 1, Arrays.copyOfRange(tail, 1, tail.length))) {
            nll += loss;
        }
        double mean = nll / tail.length;
        return new PerplexityResult(Math.exp(mean), mean, tail.length, prefilled);
    }

    private static int maxChunk(ChunkPlan plan) {
        return Arrays.stream(plan.chunkSizes()).max().orElseThrow();
    }

    /** The largest memory a layer holds after the last step: m_max, more in PyramidKV's lower layers. */
    private static int finalMemory(ChunkPlan plan, ModelConfig config) {
        int n = plan.nChunks(), max = plan.schedule().mMax();
        for (int l = 0; l < config.nLayers(); l++) {
            max = Math.max(max, plan.schedule().memoryAfter(n - 1, n, l));
        }
        return max;
    }

    private static int maxForward(ChunkPlan plan, ModelConfig config) {
        if (plan.schedule() instanceof AdaptiveSchedule) {
            // adaptive targets follow the run's retention ratios: any layer may reach m_max at any step
            int[] chunks = plan.chunkSizes();
            long kept = 0;
            int max = chunks[0];
            for (int i = 1; i < chunks.length; i++) {
                kept = Math.min(plan.schedule().mMax(), kept + chunks[i - 1] - (i == 1 ? SINKS : 0));
                max = Math.max(max, Math.toIntExact(SINKS + kept + chunks[i]));
            }
            return max;
        }
        int max = 0;
        for (int l = 0; l < config.nLayers(); l++) {
            max = Math.max(max, Arrays.stream(plan.forwardLengthsKept(SINKS, l)).max().orElseThrow());
        }
        return max;
    }

    /** The state of one run. */
    private static final class Loop {
        private final LlamaModel model;
        private final KvCache cache;
        private final PrefillSettings settings;
        private final ChunkPlan plan;
        private final MemorySchedule schedule;
        private final Compressor compressor;
        private final Progress progress;
        private final ModelConfig config;
        private final Backend backend;
        /** origins[l][g][r]: the input position of memory row r (after the sinks) of layer l, KV head g. */
        private final int[][][] origins;
        private final boolean probeAttention;
        /** Per layer, the compressor's state across steps (null for stateless compressors). */
        private final History[] histories;

        Loop(LlamaModel model, KvCache cache, PrefillSettings settings, ChunkPlan plan, Progress progress,
             boolean probeAttention) {
            this.probeAttention = probeAttention;
            this.model = model;
            this.cache = cache;
            this.settings = settings;
            this.plan = plan;
            this.schedule = plan.schedule();
            this.compressor = settings.compressor();
            this.progress = progress;
            this.config = model.config();
            this.backend = model.backend();
            this.origins = new int[config.nLayers()][config.nKvHeads()][0];
            this.histories = new History[config.nLayers()];
            for (int l = 0; l < histories.length; l++) {
                histories[l] = compressor.newHistory(config.nKvHeads());
            }
        }

        PrefillResult run(int[] tokens) {
            int[] sizes = plan.chunkSizes();
            int n = sizes.length, layers = config.nLayers();
            List<StepRecord> steps = new ArrayList<>(n);
            if (progress != null) {
                progress.beforeFirstStep();
            }
            long start = backend.nanoTime();
            int pos = 0;
            for (int i = 0; i < n; i++) {
                long stepStart = backend.nanoTime();
                int[] chunk = Arrays.copyOfRange(tokens, pos, pos + sizes[i]);
                int[] memoryBefore = new int[layers];
                for (int l = 0; l < layers; l++) {
                    memoryBefore[l] = i == 0 ? 0 : cache.length(l) - SINKS;
                }
                int freshCandidates = sizes[i] - (i == 0 ? SINKS : 0);
                int[] window = new int[layers]; // per layer: layers may hold different memory sizes
                for (int l = 0; l < layers; l++) {
                    int ranked = schedule.freezesOldMemory() ? freshCandidates : memoryBefore[l] + freshCandidates;
                    window[l] = compressor.windowRows(freshCandidates, ranked, settings.chunk());
                }
                float[][][] scores = new float[layers][][];
                double[] memoryAttention = new double[layers];
                boolean eager = model.attentionMode() == AttentionMode.EAGER;
                // FLASH: SnapKV's window scores are computed from q and k while the layer's are at hand.
                LlamaModel.AttentionObserver observer = !(compressor.needsScores() && !eager) && !probeAttention ? null
                        : (l, q, keys, values, nQueries, nKeys) -> {
                            if (compressor.needsScores() && !eager) {
                                scores[l] = WindowScores.fromQueries(backend, config, q, keys, nQueries, nKeys,
                                        window[l]);
                            }
                            if (probeAttention) {
                                memoryAttention[l] = meanMemoryAttention(backend.attentionWindowScores(q, keys,
                                        nQueries, nKeys, nQueries, config.nHeads(), config.nKvHeads(),
                                        config.headSize()), nQueries, memoryBefore[l]);
                            }
                        };
                int forwardLength = cache.length(0) + sizes[i];
                // Only the last chunk's last position predicts anything the prefill needs.
                model.forward(chunk, cache, i == n - 1 ? LlamaModel.Logits.LAST : LlamaModel.Logits.NONE, observer);
                appendOrigins(i == 0 ? SINKS : pos, pos + sizes[i]);
                double[] retention = new double[layers];
                for (int l = 0; l < layers; l++) {
                    if (eager && compressor.needsScores()) { // EAGER: read off the map kept since the forward
                        scores[l] = WindowScores.fromMap(backend, model.attentionMap(l), cache.length(l), window[l],
                                config.nHeads());
                    }
                    retention[l] = compress(i, n, l, memoryBefore[l], scores[l], window[l]);
                }
                model.releaseAttentionMaps(); // the reference frees the maps once the step is compressed
                if (schedule instanceof AdaptiveSchedule adaptive && i >= 1 && i < n - 1) {
                    adaptive.observeRetention(i, retention);
                }
                pos += sizes[i];
                long now = backend.nanoTime();
                steps.add(new StepRecord(sizes[i], forwardLength, cache.length(0) - SINKS,
                        !Double.isNaN(retention[0]), retention[0], now - stepStart,
                        probeAttention && i > 0 ? Arrays.stream(memoryAttention).average().orElseThrow() : Double.NaN));
                if (progress != null) {
                    progress.afterStep(i, n, pos, tokens.length, now - start);
                }
            }
            float[] last = model.logitsRow(0);
            int first = Sampler.argmax(last);
            long ttft = backend.nanoTime() - start;
            int[] memoryPerLayer = new int[layers];
            for (int l = 0; l < layers; l++) {
                memoryPerLayer[l] = cache.length(l) - SINKS;
            }
            return new PrefillResult(settings, steps, first, last, ttft, backend.ledger().peak(),
                    backend.ledger().peakByCategory(), memoryPerLayer, origins);
        }

        /**
         * Compresses one layer's candidates [memory ∪ chunk] to its target; returns the retention
         * ratio (share of the new memory that was old memory, averaged over KV heads), NaN if
         * nothing was selected.
         */
        private double compress(int step, int n, int layer, int memoryBefore, float[][] scores, int window) {
            int candidates = cache.length(layer) - SINKS;
            int[][] keep;
            if (schedule.freezesOldMemory()) {
                // Ablation: old memory stays, the chunk alone is compressed into its slots.
                int slots = ((FixedIncrementalMemory) schedule).newSlots(step, n);
                int fresh = candidates - memoryBefore;
                if (fresh <= slots) {
                    return Double.NaN;
                }
                int[][] picked = compressor.select(new Selection(fresh, 0, slots, config.nHeads(), config.nKvHeads(),
                        scores == null ? null : columns(scores, SINKS + memoryBefore), window),
                        new StepContext(step, layer, null, keyNorms(layer, memoryBefore, candidates)));
                keep = new int[picked.length][];
                for (int g = 0; g < picked.length; g++) {
                    keep[g] = new int[memoryBefore + slots];
                    for (int r = 0; r < memoryBefore; r++) {
                        keep[g][r] = r;
                    }
                    for (int r = 0; r < slots; r++) {
                        keep[g][memoryBefore + r] = memoryBefore + picked[g][r];
                    }
                }
            } else {
                boolean selects = schedule.selectsAt(step, n, layer, candidates);
                if (!selects && histories[layer] == null) {
                    return Double.NaN; // under the target: everything is kept
                }
                // A stateful compressor also observes the steps that keep everything (it returns all rows then).
                int target = selects ? schedule.memoryAfter(step, n, layer) : candidates;
                keep = compressor.select(new Selection(candidates, memoryBefore, target, config.nHeads(),
                        config.nKvHeads(), scores == null ? null : columns(scores, SINKS), window),
                        new StepContext(step, layer, histories[layer], keyNorms(layer, 0, candidates)));
                if (!selects) {
                    return Double.NaN;
                }
            }
            backend.compactKv(cache.keys(layer), cache.values(layer), SINKS, keep, config.headSize());
            for (int g = 0; g < keep.length; g++) {
                int[] was = origins[layer][g], now = new int[keep[g].length];
                for (int r = 0; r < now.length; r++) {
                    now[r] = was[keep[g][r]];
                }
                origins[layer][g] = now;
            }
            cache.setLength(layer, SINKS + keep[0].length);
            double retained = 0;
            for (int[] head : keep) {
                int old = 0;
                while (old < head.length && head[old] < memoryBefore) {
                    old++;
                }
                retained += head.length == 0 ? 0 : (double) old / head.length;
            }
            return retained / keep.length;
        }

        /** The L2 norms of candidates [from, to) of a layer's keys, read to the host, if the compressor ranks by them. */
        private float[][] keyNorms(int layer, int from, int to) {
            if (!compressor.needsKeyNorms()) {
                return null;
            }
            int rows = to - from, kvDim = config.nKvHeads() * config.headSize();
            float[] keys = new float[rows * kvDim];
            backend.read(cache.keys(layer), SINKS + from, rows, keys);
            return KeyNorms.of(keys, rows, config.nKvHeads(), config.headSize());
        }

        /**
         * Mean attention probability per memory token: the probabilities that all T chunk queries
         * give the memory columns (after the sinks), divided by heads x T x memory tokens.
         */
        private double meanMemoryAttention(float[][] sums, int queries, int memory) {
            if (memory == 0) {
                return Double.NaN;
            }
            double total = 0;
            for (float[] head : sums) {
                for (int j = SINKS; j < SINKS + memory; j++) {
                    total += head[j];
                }
            }
            return total / ((double) sums.length * queries * memory);
        }

        /** Records that input positions [from, to) were appended after every layer's memory. */
        private void appendOrigins(int from, int to) {
            for (int[][] layer : origins) {
                for (int g = 0; g < layer.length; g++) {
                    int[] grown = Arrays.copyOf(layer[g], layer[g].length + to - from);
                    for (int p = from; p < to; p++) {
                        grown[layer[g].length + p - from] = p;
                    }
                    layer[g] = grown;
                }
            }
        }

        /** The score columns from {@code from} on (drops the sink columns, and old memory for the ablation). */
        private static float[][] columns(float[][] scores, int from) {
            float[][] out = new float[scores.length][];
            for (int h = 0; h < scores.length; h++) {
                out[h] = Arrays.copyOfRange(scores[h], from, scores[h].length);
            }
            return out;
        }
    }
}
