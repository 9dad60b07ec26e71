package dev.stepmem.model;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The LLaMA-family decoder (llama2.c's forward, batched over a chunk of T tokens):
 * <pre>
 *   x = embed(tokens)                                       [T, d]
 *   per layer:  x += Wo · attn(rope(Wq·n(x)), rope([K_cache; Wk·n(x)]), [V_cache; Wv·n(x)])
 *               x += W2 · (silu(W1·n(x)) * W3·n(x))
 *   logits = Wcls · rmsnorm(x)                              [T, V] (or the last row only)
 * </pre>
 * Keys enter the cache un-rotated; each forward rotates all S = cached + T keys at positions
 * 0..S-1 into a scratch buffer (METHOD.md §1). Work buffers are sized once for maxChunk rows.
 */
public final class LlamaModel implements AutoCloseable {
    private final ModelConfig config;
    private final Backend backend;
    private final int maxChunk;
    private final int maxContext;
    private final Tensor embedding;
    private final Tensor rmsFinal;
    private final Tensor classifier;
    private final List<Layer> layers = new ArrayList<>();
    private final List<Tensor> owned = new ArrayList<>();
    private final AttentionMode attentionMode;
    /** EAGER only: each layer's probabilities [nHeads * S, S] of the last forward, until released. */
    private final Tensor[] attentionMaps;

    // Work buffers, shapes in rows x cols (rows = maxChunk unless noted).
    private final Tensor x;       // [Tc, d]   residual stream
    private final Tensor xb;      // [Tc, d]   normed input of a sublayer
    private final Tensor xb2;     // [Tc, d]   sublayer output
    private final Tensor q;       // [Tc, d]   queries (rotated in place)
    private final Tensor k;       // [Tc, kv]  new keys, pre-RoPE
    private final Tensor v;       // [Tc, kv]  new values
    private final Tensor att;     // [Tc, d]   attention output
    private final Tensor hb;      // [Tc, h]   gate, then silu(gate) * up
    private final Tensor hb2;     // [Tc, h]   up
    private final Tensor kRot;    // [maxContext, kv]  all keys rotated for this forward
    private final Tensor logits;  // [logitsRows, V]: Tc rows for per-token losses, 1 when only the next token matters
    private final Tensor qAll;    // EAGER: [maxContext, d] queries of every position, sink and memory rows zero
    private final Tensor attAll;  // EAGER: [maxContext, d] attention output of every position

    /** Which logits a forward computes. */
    public enum Logits {
        /** None: a chunk whose predictions nobody reads (every prefill chunk but the last). */
        NONE,
        /** The last position's only (row 0): the next token. */
        LAST,
        /** Every position's (rows 0..T-1): per-token losses. */
        ALL
    }

    private record Layer(Tensor rmsAtt, Tensor wq, Tensor wk, Tensor wv, Tensor wo,
                         Tensor rmsFfn, Tensor w1, Tensor w2, Tensor w3) {
    }

    /**
     * @param maxChunk   the most tokens one forward may take
     * @param maxContext the most positions one forward may see (cached + chunk)
     */
    public LlamaModel(ModelWeights weights, Backend backend, int maxChunk, int maxContext) {
        this(weights, backend, maxChunk, maxContext, maxChunk);
    }

    /**
     * @param logitsRows rows of the logits buffer: maxChunk to score every token of a chunk, 1 when
     *                   only the last position's logits are needed (TTFT), which saves [maxChunk, V]
     */
    public LlamaModel(ModelWeights weights, Backend backend, int maxChunk, int maxContext, int logitsRows) {
        this(weights, backend, maxChunk, maxContext, logitsRows, AttentionMode.FLASH);
    }

    /** @param attentionMode FLASH (chunk rows, streaming softmax) or EAGER (the reference's materialized maps) */
    public LlamaModel(ModelWeights weights, Backend backend, int maxChunk, int maxContext, int logitsRows,
                      AttentionMode attentionMode) {
        if (maxChunk <= 0 || maxContext < maxChunk) {
            throw new IllegalArgumentException("need 0 < maxChunk <= maxContext, got " + maxChunk + ", " + maxContext);
        }
        if (logitsRows < 1 || logitsRows > maxChunk) {
            throw new IllegalArgumentException("logitsRows must be in [1, maxChunk], got " + logitsRows);
        }
        try { // on failure (e.g. out of device memory) give back what was already taken
            this.config = weights.config();
            this.backend = backend;
            this.maxChunk = maxChunk;
            this.maxContext = maxContext;
            this.attentionMode = attentionMode;
            this.attentionMaps = new Tensor[weights.layers().size()];
            Map<Object, Tensor> uploaded = new IdentityHashMap<>(); // a tied classifier is uploaded once
            this.embedding = upload(uploaded, weights.tokenEmbedding());
            this.rmsFinal = upload(uploaded, weights.rmsFinal());
            this.classifier = upload(uploaded, weights.classifier());
            for (LayerWeights l : weights.layers()) {
                layers.add(new Layer(upload(uploaded, l.rmsAtt()), upload(uploaded, l.wq()), upload(uploaded, l.wk()),
                        upload(uploaded, l.wv()), upload(uploaded, l.wo()), upload(uploaded, l.rmsFfn()),
                        upload(uploaded, l.w1()), upload(uploaded, l.w2()), upload(uploaded, l.w3())));
            }
            int d = config.dim(), kv = config.kvDim(), h = config.hiddenDim();
            x = alloc("act.x", maxChunk, d);
            xb = alloc("act.xb", maxChunk, d);
            xb2 = alloc("act.xb2", maxChunk, d);
            q = alloc("act.q", maxChunk, d);
            k = alloc("act.k", maxChunk, kv);
            v = alloc("act.v", maxChunk, kv);
            att = alloc("act.att", maxChunk, d);
            hb = alloc("act.hb", maxChunk, h);
            hb2 = alloc("act.hb2", maxChunk, h);
            kRot = alloc("act.kRot", maxContext, kv);
            logits = alloc("logits", logitsRows, config.vocabSize());
            boolean eager = attentionMode == AttentionMode.EAGER;
            qAll = eager ? alloc("act.qAll", maxContext, d) : null;
            attAll = eager ? alloc("act.attAll", maxContext, d) : null;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    public int maxChunk() {
        return maxChunk;
    }

    public int maxContext() {
        return maxContext;
    }

    public AttentionMode attentionMode() {
        return attentionMode;
    }

    /**
     * EAGER: layer l's attention probabilities of the last forward, [nHeads * S, S] with row
     * h * S + t for query position t under head h (S = the layer's positions in that forward).
     * Valid until {@link #releaseAttentionMaps()} or the next forward.
     */
    public Tensor attentionMap(int layer) {
        if (attentionMaps[layer] == null) {
            throw new IllegalStateException("no attention map of layer " + layer
                    + " (only EAGER forwards keep them, until released)");
        }
        return attentionMaps[layer];
    }

    /** Frees the attention maps the last EAGER forward kept (the reference frees them after compression). */
    public void releaseAttentionMaps() {
        if (attentionMaps == null) {
            return; // construction failed before they existed
        }
        for (int l = 0; l < attentionMaps.length; l++) {
            if (attentionMaps[l] != null) {
                backend.free(attentionMaps[l]);
                attentionMaps[l] = null;
            }
        }
    }

    /** A KV cache that fits this model's maximum context. */
    public KvCache newCache() {
        return new KvCache(backend, config, maxContext);
    }

    /**
     * Sees each layer's attention inputs while they are valid: SnapKV scores its observation window
     * from them. q [T, d] and keys [S, kv] are rotated; keys are the layer's S = cached + T rows.
     */
    @FunctionalInterface
    public interface AttentionObserver {
        void afterAttention(int layer, Tensor q, Tensor keys, Tensor values, int nQueries, int nKeys);
    }

    /**
     * Runs tokens through the model after what the cache holds, appending their keys and values.
     *
     * @param allLogits true: logits for every token (rows 0..T-1); false: only the last token (row 0)
     * @return the logits tensor [T or 1, V]; valid until the next forward
     */
    public Tensor forward(int[] tokens, KvCache cache, boolean allLogits) {
        return forward(tokens, cache, allLogits ? Logits.ALL : Logits.LAST, null);
    }

    /**
     * As {@link #forward(int[], KvCache, boolean)}, computing the logits asked for and showing
     * each layer's attention to an observer (may be null).
     */
    public Tensor forward(int[] tokens, KvCache cache, Logits wanted, AttentionObserver observer) {
        boolean allLogits = wanted == Logits.ALL;
        int t = tokens.length;
        if (t == 0) {
            throw new IllegalArgumentException("forward needs at least one token");
        }
        if (t > maxChunk) {
            throw new IllegalArgumentException("chunk of " + t + " tokens exceeds maxChunk " + maxChunk);
        }
        if (allLogits && t > logits.rows()) {
            throw new IllegalArgumentException("logits for " + t + " tokens asked of a model built with "
                    + logits.rows() + " logits rows");
        }
        for (int l = 0; l < layers.size(); l++) {
            int total = cache.length(l) + t;
            if (total > cache.capacity() || total > maxContext) {
                throw new IllegalArgumentException("context of " + total + " positions in layer " + l
                        + " exceeds the cache (" + cache.capacity() + ") or maxContext (" + maxContext + ")");
            }
        }
        int hs = config.headSize();
        releaseAttentionMaps();
        backend.embedding(x, tokens, embedding);
        for (int l = 0; l < layers.size(); l++) {
            Layer w = layers.get(l);
            // Each layer may hold its own memory size, so positions (and dynamic NTK) are per layer.
            int past = cache.length(l), total = past + t;
            float[] invFreq = Rope.inverseFrequencies(config, total);
            // attention sublayer
            backend.rmsnorm(xb, x, w.rmsAtt, t, config.normEps());
            backend.matmul(q, xb, w.wq, t);
            backend.matmul(k, xb, w.wk, t);
            backend.matmul(v, xb, w.wv, t);
            backend.copyRows(k, 0, cache.keys(l), past, t);   // cache keys un-rotated
            backend.copyRows(v, 0, cache.values(l), past, t);
            backend.copyRows(cache.keys(l), 0, kRot, 0, total);
            backend.rope(kRot, total, config.nKvHeads(), hs, 0, invFreq, config.ropeStyle());
            backend.rope(q, t, config.nHeads(), hs, past, invFreq, config.ropeStyle());
            if (attentionMode == AttentionMode.FLASH) {
                backend.attention(att, q, kRot, cache.values(l), t, total, config.nHeads(), config.nKvHeads(), hs);
            } else {
                eagerAttention(l, past, t, total, cache.values(l));
            }
            if (observer != null) {
                observer.afterAttention(l, q, kRot, cache.values(l), t, total);
            }
            backend.matmul(xb2, att, w.wo, t);
            backend.add(x, xb2, t);
            // feed-forward sublayer (SwiGLU)
            backend.rmsnorm(xb, x, w.rmsFfn, t, config.normEps());
            backend.matmul(hb, xb, w.w1, t);
            backend.matmul(hb2, xb, w.w3, t);
            backend.swiglu(hb, hb2, t);
            backend.matmul(xb2, hb, w.w2, t);
            backend.add(x, xb2, t);
            cache.setLength(l, total);
        }
        if (wanted == Logits.NONE) {
            return logits;
        }
        if (allLogits) {
            backend.rmsnorm(x, x, rmsFinal, t, config.normEps());
            backend.matmul(logits, x, classifier, t);
        } else {
            backend.copyRows(x, t - 1, xb, 0, 1);
            backend.rmsnorm(xb, xb, rmsFinal, 1, config.normEps());
            backend.matmul(logits, xb, classifier, 1);
        }
        return logits;
    }

    /**
     * One forward over tokens (after what the cache holds) that computes the logits of its rows
     * [firstRow, firstRow + rows) only, into logits rows 0..rows-1: a whole document in one
     * forward scores its last tokens without a [T, V] buffer.
     */
    public Tensor forwardLogitsOf(int[] tokens, KvCache cache, int firstRow, int rows) {
        if (firstRow < 0 || rows < 1 || firstRow + rows > tokens.length || rows > logits.rows()) {
            throw new IllegalArgumentException("logits of rows [" + firstRow + ", " + (firstRow + rows) + ") of a "
                    + tokens.length + "-token forward with " + logits.rows() + " logits rows");
        }
        forward(tokens, cache, Logits.NONE, null);
        backend.copyRows(x, firstRow, xb, 0, rows);
        backend.rmsnorm(xb, xb, rmsFinal, rows, config.normEps());
        backend.matmul(logits, xb, classifier, rows);
        return logits;
    }

    /**
     * The reference code's eager path: every position of [sinks | memory | chunk] gets a query row
     * (zero for sinks and memory, so their rows are uniform over the keys they see), the whole
     * [nHeads * S, S] probability map is materialized and kept, and multiplied by V for all S rows;
     * the chunk's rows of the result are the layer's attention output.
     */
    private void eagerAttention(int layer, int past, int t, int total, Tensor values) {
        int hs = config.headSize();
        backend.fillZero(qAll, 0, past);
        backend.copyRows(q, 0, qAll, past, t);
        Tensor map = backend.allocate("scores.layer" + layer, config.nHeads() * total, total);
        attentionMaps[layer] = map;
        backend.attentionProbabilities(map, qAll, kRot, total, total, config.nHeads(), config.nKvHeads(), hs);
        backend.attentionApply(attAll, map, values, total, total, config.nHeads(), config.nKvHeads(), hs);
        backend.copyRows(attAll, past, att, 0, t);
    }

    /** Copies row r of the last logits to the host. */
    public float[] logitsRow(int row) {
        float[] out = new float[config.vocabSize()];
        backend.read(logits, row, 1, out);
        return out;
    }

    @Override
    public void close() {
        releaseAttentionMaps();
        for (Tensor t : owned) {
            backend.free(t);
        }
        owned.clear();
    }

    private Tensor alloc(String label, int rows, int cols) {
        Tensor t = backend.allocate(label, rows, cols);
        owned.add(t);
        return t;
    }

    private Tensor upload(Map<Object, Tensor> uploaded, dev.stepmem.tensor.HostTensor w) {
        return uploaded.computeIfAbsent(w, key -> {
            Tensor t = backend.upload(w);
            owned.add(t);
            return t;
        });
    }
}
