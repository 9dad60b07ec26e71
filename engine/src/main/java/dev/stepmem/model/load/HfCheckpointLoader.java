package dev.stepmem.model.load;

import dev.stepmem.model.LayerWeights;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a Hugging Face LLaMA or InternLM2 folder (config.json + safetensors, single or sharded)
 * into {@link ModelWeights}, memory-mapped: matrices are zero-copy slices [out, in] in the file's
 * dtype (F32, F16 or BF16); norms are widened to F32 [1, d]; InternLM2's fused wqkv is split by a
 * one-time copy into native memory ({@link InternLm2Qkv}). Nothing is loaded onto the Java heap.
 *
 * <p>LLaMA names (d = hidden_size, h = intermediate_size, kv = num_key_value_heads·head size,
 * V = vocab_size): model.embed_tokens.weight [V, d]; per layer N under model.layers.N.:
 * input_layernorm.weight [d], self_attn.q_proj [d, d], k_proj [kv, d], v_proj [kv, d],
 * o_proj [d, d], post_attention_layernorm.weight [d], mlp.gate_proj (w1) [h, d],
 * mlp.up_proj (w3) [h, d], mlp.down_proj (w2) [d, h] (all ".weight"); model.norm.weight [d];
 * lm_head.weight [V, d] (absent when tied: the embedding is the classifier).
 *
 * <p>InternLM2 names: model.tok_embeddings.weight [V, d]; per layer: attention_norm [d],
 * attention.wqkv [(heads + 2·kvHeads)·hs, d] (fused, interleaved per KV group), attention.wo
 * [d, d], ffn_norm [d], feed_forward.w1 (gate) [h, d], w3 (up) [h, d], w2 (down) [d, h];
 * model.norm [d]; output.weight [V, d].
 */
public final class HfCheckpointLoader {
    private HfCheckpointLoader() {
    }

    /**
     * Loads the folder into a new shared arena; closing the returned weights closes it, which
     * unmaps the files and frees the native copies.
     */
    public static ModelWeights load(Path folder) {
        Arena arena = Arena.ofShared();
        try {
            return build(folder, arena, arena);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Loads the folder with its mappings and native copies in the caller's arena, which the
     * caller closes (the returned weights' owner does nothing then); null = {@link #load(Path)}.
     */
    public static ModelWeights load(Path folder, Arena arena) {
        return arena == null ? load(folder) : build(folder, arena, null);
    }

    private static ModelWeights build(Path folder, Arena arena, AutoCloseable owner) {
        if (!Files.isDirectory(folder)) {
            throw new CheckpointException(folder.toString(), "not a folder (expected a Hugging Face model folder)");
        }
        ModelConfig c = HfConfig.read(folder);
        HfTensors t = HfTensors.open(folder, arena);
        boolean intern = c.family().equals("internlm2");
        int d = c.dim(), h = c.hiddenDim(), kv = c.kvDim(), v = c.vocabSize();

        HostTensor emb = t.matrix(intern ? "model.tok_embeddings.weight" : "model.embed_tokens.weight", v, d);
        List<LayerWeights> layers = new ArrayList<>(c.nLayers());
        for (int n = 0; n < c.nLayers(); n++) {
            String p = "model.layers." + n + ".";
            layers.add(intern ? internLm2Layer(t, p, c, arena) : llamaLayer(t, p, d, h, kv));
        }
        HostTensor rmsFinal = t.normF32("model.norm.weight", d);
        HostTensor classifier = c.tiedEmbeddings() ? emb
                : t.matrix(intern ? "output.weight" : "lm_head.weight", v, d);
        return new ModelWeights(c, emb, layers, rmsFinal, classifier, folder.toString(), owner);
    }

    private static LayerWeights llamaLayer(HfTensors t, String p, int d, int h, int kv) {
        return new LayerWeights(
                t.normF32(p + "input_layernorm.weight", d),
                t.matrix(p + "self_attn.q_proj.weight", d, d),
                t.matrix(p + "self_attn.k_proj.weight", kv, d),
                t.matrix(p + "self_attn.v_proj.weight", kv, d),
                t.matrix(p + "self_attn.o_proj.weight", d, d),
                t.normF32(p + "post_attention_layernorm.weight", d),
                t.matrix(p + "mlp.gate_proj.weight", h, d),   // w1: gate
                t.matrix(p + "mlp.down_proj.weight", d, h),   // w2: down
                t.matrix(p + "mlp.up_proj.weight", h, d));    // w3: up
    }

    private static LayerWeights internLm2Layer(HfTensors t, String p, ModelConfig c, Arena arena) {
        int d = c.dim(), h = c.hiddenDim();
        long fusedRows = (c.nHeads() + 2L * c.nKvHeads()) * c.headSize();
        HostTensor rmsAtt = t.normF32(p + "attention_norm.weight", d);
        InternLm2Qkv.Split qkv = InternLm2Qkv.split(p + "attention.",
                t.entry(p + "attention.wqkv.weight", fusedRows, d), c, arena);
        return new LayerWeights(
                rmsAtt, qkv.wq(), qkv.wk(), qkv.wv(),
                t.matrix(p + "attention.wo.weight", d, d),
                t.normF32(p + "ffn_norm.weight", d),
                t.matrix(p + "feed_forward.w1.weight", h, d),   // gate
                t.matrix(p + "feed_forward.w2.weight", d, h),   // down
                t.matrix(p + "feed_forward.w3.weight", h, d));  // up
    }
}
