package dev.stepmem.model;

import dev.stepmem.backend.RopeStyle;

/**
 * Shape and numerics of a LLaMA-family decoder: RMSNorm, RoPE, grouped-query attention, SwiGLU.
 *
 * @param family              "llama2c", "llama" or "internlm2" (where the weights came from)
 * @param dim                 model width d
 * @param hiddenDim           SwiGLU hidden width
 * @param nLayers             decoder layers
 * @param nHeads              query heads; headSize = dim / nHeads
 * @param nKvHeads            key/value heads (GQA when fewer than nHeads)
 * @param vocabSize           tokens in the vocabulary
 * @param contextLength       trained context (positions); exceeding it is allowed but noted
 * @param normEps             RMSNorm epsilon
 * @param ropeTheta           RoPE base
 * @param ropeStyle           interleaved pairs (llama2.c) or rotate-half (Hugging Face)
 * @param dynamicNtkContext   0 = plain RoPE; otherwise the original context past which the
 *                            reference code's dynamic-NTK scaling kicks in (LLaMA-2: 4096)
 * @param tiedEmbeddings      classifier shares the token embedding matrix
 */
public record ModelConfig(String family, int dim, int hiddenDim, int nLayers, int nHeads, int nKvHeads,
                          int vocabSize, int contextLength, float normEps, double ropeTheta,
                          RopeStyle ropeStyle, int dynamicNtkContext, boolean tiedEmbeddings) {

    public ModelConfig {
        validate(family, dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, contextLength, normEps, ropeTheta);
    }

    public int headSize() {
        return dim / nHeads;
    }

    /** Width of the K and V projections: nKvHeads * headSize. */
    public int kvDim() {
        return nKvHeads * headSize();
    }

    /** The same model with dynamic NTK from this many positions on (0: plain RoPE); see {@link RopeRule}. */
    public ModelConfig withDynamicNtkContext(int context) {
        return new ModelConfig(family, dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, contextLength, normEps,
                ropeTheta, ropeStyle, context, tiedEmbeddings);
    }

    /** Query heads per KV head. */
    public int groupSize() {
        return nHeads / nKvHeads;
    }

    /** Parameter count, including a separate classifier when it is untied. */
    public long parameterCount() {
        long d = dim, h = hiddenDim, kv = kvDim(), v = vocabSize;
        long perLayer = 2 * d + d * d * 2 + 2 * d * kv + 3 * d * h;
        return v * d + nLayers * perLayer + d + (tiedEmbeddings ? 0 : v * d);
    }

    /** Karpathy's stories15M (TinyStories); the header of its checkpoint says the same. */
    public static ModelConfig stories15M() {
        return new ModelConfig("llama2c", 288, 768, 6, 6, 6, 32000, 256, 1e-5f, 10000.0,
                RopeStyle.INTERLEAVED, 0, true);
    }

    /** LLaMA-2-7B: MHA, 4K context, with the reference code's dynamic NTK past 4096 positions. */
    public static ModelConfig llama2_7b() {
        return new ModelConfig("llama", 4096, 11008, 32, 32, 32, 32000, 4096, 1e-5f, 10000.0,
                RopeStyle.ROTATE_HALF, 4096, false);
    }

    /** InternLM2-7B: GQA with 8 KV heads, rope theta 1e6, 32K context. */
    public static ModelConfig internlm2_7b() {
        return new ModelConfig("internlm2", 4096, 14336, 32, 32, 8, 92544, 32768, 1e-5f, 1_000_000.0,
                RopeStyle.ROTATE_HALF, 0, false);
    }

    /** Named presets for synthetic weights: stories15m, llama2-7b, internlm2-7b. */
    public static ModelConfig preset(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "stories15m" -> stories15M();
            case "llama2-7b" -> llama2_7b();
            case "internlm2-7b" -> internlm2_7b();
            default -> throw new IllegalArgumentException(
                    "unknown model preset '" + name + "' (expected stories15m, llama2-7b or internlm2-7b)");
        };
    }

    private static void validate(String family, int dim, int hiddenDim, int nLayers, int nHeads, int nKvHeads,
                                 int vocabSize, int contextLength, float normEps, double ropeTheta) {
        StringBuilder bad = new StringBuilder();
        if (dim <= 0) bad.append("dim must be positive (got ").append(dim).append("); ");
        if (hiddenDim <= 0) bad.append("hidden_dim must be positive (got ").append(hiddenDim).append("); ");
        if (nLayers <= 0) bad.append("n_layers must be positive (got ").append(nLayers).append("); ");
        if (nHeads <= 0) bad.append("n_heads must be positive (got ").append(nHeads).append("); ");
        if (nKvHeads <= 0) bad.append("n_kv_heads must be positive (got ").append(nKvHeads).append("); ");
        if (vocabSize <= 0) bad.append("vocab_size must be positive (got ").append(vocabSize).append("); ");
        if (contextLength <= 0) bad.append("context length must be positive (got ").append(contextLength).append("); ");
        if (!(normEps > 0)) bad.append("norm eps must be positive (got ").append(normEps).append("); ");
        if (!(ropeTheta > 0)) bad.append("rope theta must be positive (got ").append(ropeTheta).append("); ");
        if (dim > 0 && nHeads > 0 && dim % nHeads != 0) {
            bad.append("dim ").append(dim).append(" is not divisible by n_heads ").append(nHeads).append("; ");
        } else if (dim > 0 && nHeads > 0 && (dim / nHeads) % 2 != 0) {
            bad.append("head size ").append(dim / nHeads).append(" must be even for RoPE; ");
        }
        if (nHeads > 0 && nKvHeads > 0 && nHeads % nKvHeads != 0) {
            bad.append("n_heads ").append(nHeads).append(" is not a multiple of n_kv_heads ").append(nKvHeads).append("; ");
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("inconsistent model config (" + family + "): "
                    + bad.substring(0, bad.length() - 2));
        }
    }
}
