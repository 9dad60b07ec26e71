package dev.stepmem.model.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepmem.backend.RopeStyle;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.tensor.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes tiny Hugging Face checkpoints (config.json + safetensors, single file or sharded with an
 * index) in the real LLaMA and InternLM2 layouts, from known random values, for the loader tests.
 */
final class TinyCheckpointWriter {
    static final ObjectMapper JSON = new ObjectMapper();

    private TinyCheckpointWriter() {
    }

    /** The tests' tiny GQA model: d 64, hidden 96, 2 layers, 4 heads of 16, 2 KV heads, vocab 50. */
    static ModelConfig tinyConfig(String family, boolean tied) {
        double theta = family.equals("internlm2") ? 1_000_000.0 : 10000.0;
        return new ModelConfig(family, 64, 96, 2, 4, 2, 50, 128, 1e-5f, theta, RopeStyle.ROTATE_HALF, 0, tied);
    }

    /**
     * Logical weights, row-major [out, in], already rounded to dtype (so reading them back must
     * give exactly these floats). layers.get(n) holds, in LayerWeights order: rmsAtt [d], wq [d, d],
     * wk [kv, d], wv [kv, d], wo [d, d], rmsFfn [d], w1 [h, d], w2 [d, h], w3 [h, d].
     */
    record TinyModel(ModelConfig config, DType dtype, float[] embedding, List<float[][]> layers,
                     float[] norm, float[] classifier) {
    }

    /** One safetensors entry: dtype name (any, even unsupported), shape and little-endian bytes. */
    record Raw(String dtype, long[] shape, byte[] bytes) {
    }

    static TinyModel randomModel(ModelConfig c, DType dt, long seed) {
        Random r = new Random(seed);
        int d = c.dim(), h = c.hiddenDim(), kv = c.kvDim(), v = c.vocabSize();
        float[] emb = random(r, dt, v * d, 0.5f);
        List<float[][]> layers = new ArrayList<>();
        for (int n = 0; n < c.nLayers(); n++) {
            layers.add(new float[][] {
                    random(r, dt, d, 2f), random(r, dt, d * d, 0.5f), random(r, dt, kv * d, 0.5f),
                    random(r, dt, kv * d, 0.5f), random(r, dt, d * d, 0.5f), random(r, dt, d, 2f),
                    random(r, dt, h * d, 0.5f), random(r, dt, d * h, 0.5f), random(r, dt, h * d, 0.5f)});
        }
        float[] norm = random(r, dt, d, 2f);
        float[] cls = c.tiedEmbeddings() ? emb : random(r, dt, v * d, 0.5f);
        return new TinyModel(c, dt, emb, layers, norm, cls);
    }

    private static float[] random(Random r, DType dt, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = round(dt, (r.nextFloat() * 2 - 1) * scale);
        }
        return a;
    }

    /** x as stored in dtype and read back. */
    static float round(DType dt, float x) {
        return switch (dt) {
            case F32 -> x;
            case BF16 -> DType.bf16ToFloat(DType.floatToBf16(x));
            case F16 -> DType.f16ToFloat(DType.floatToF16(x));
        };
    }

    static Raw raw(DType dt, float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * dt.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : values) {
            switch (dt) {
                case F32 -> b.putFloat(x);
                case BF16 -> b.putShort(DType.floatToBf16(x));
                case F16 -> b.putShort(DType.floatToF16(x));
            }
        }
        return new Raw(dt.name(), shape, b.array());
    }

    /** Hugging Face LLaMA names: model.embed_tokens, model.layers.N.self_attn.q_proj, ..., lm_head. */
    static Map<String, Raw> llamaTensors(TinyModel m) {
        ModelConfig c = m.config();
        int d = c.dim(), h = c.hiddenDim(), kv = c.kvDim(), v = c.vocabSize();
        DType t = m.dtype();
        Map<String, Raw> out = new LinkedHashMap<>();
        out.put("model.embed_tokens.weight", raw(t, m.embedding(), v, d));
        for (int n = 0; n < c.nLayers(); n++) {
            float[][] l = m.layers().get(n);
            String p = "model.layers." + n + ".";
            out.put(p + "input_layernorm.weight", raw(t, l[0], d));
            out.put(p + "self_attn.q_proj.weight", raw(t, l[1], d, d));
            out.put(p + "self_attn.k_proj.weight", raw(t, l[2], kv, d));
            out.put(p + "self_attn.v_proj.weight", raw(t, l[3], kv, d));
            out.put(p + "self_attn.o_proj.weight", raw(t, l[4], d, d));
            out.put(p + "post_attention_layernorm.weight", raw(t, l[5], d));
            out.put(p + "mlp.gate_proj.weight", raw(t, l[6], h, d));
            out.put(p + "mlp.down_proj.weight", raw(t, l[7], d, h));
            out.put(p + "mlp.up_proj.weight", raw(t, l[8], h, d));
        }
        out.put("model.norm.weight", raw(t, m.norm(), d));
        if (!c.tiedEmbeddings()) {
            out.put("lm_head.weight", raw(t, m.classifier(), v, d));
        }
        return out;
    }

    /** InternLM2 names: model.tok_embeddings, attention.wqkv (fused), attention.wo, feed_forward.w1/w2/w3, output. */
    static Map<String, Raw> internLm2Tensors(TinyModel m) {
        ModelConfig c = m.config();
        int d = c.dim(), h = c.hiddenDim(), v = c.vocabSize();
        int fusedRows = (c.nHeads() + 2 * c.nKvHeads()) * c.headSize();
        DType t = m.dtype();
        Map<String, Raw> out = new LinkedHashMap<>();
        out.put("model.tok_embeddings.weight", raw(t, m.embedding(), v, d));
        for (int n = 0; n < c.nLayers(); n++) {
            float[][] l = m.layers().get(n);
            String p = "model.layers." + n + ".";
            out.put(p + "attention_norm.weight", raw(t, l[0], d));
            out.put(p + "attention.wqkv.weight", raw(t, fuseQkv(c, l[1], l[2], l[3]), fusedRows, d));
            out.put(p + "attention.wo.weight", raw(t, l[4], d, d));
            out.put(p + "ffn_norm.weight", raw(t, l[5], d));
            out.put(p + "feed_forward.w1.weight", raw(t, l[6], h, d));
            out.put(p + "feed_forward.w2.weight", raw(t, l[7], d, h));
            out.put(p + "feed_forward.w3.weight", raw(t, l[8], h, d));
        }
        out.put("model.norm.weight", raw(t, m.norm(), d));
        if (!c.tiedEmbeddings()) {
            out.put("output.weight", raw(t, m.classifier(), v, d));
        }
        return out;
    }

    /**
     * InternLM2's fused wqkv [(heads + 2·kv)·hs, d], written the way modeling_internlm2.py reads it
     * (qkv.view(..., kv, groupSize + 2, hs); q = [..., :groupSize, :], k = [..., -2, :],
     * v = [..., -1, :]): for each KV group g, the rows of q heads g·groupSize .. +groupSize-1,
     * then k head g, then v head g.
     */
    static float[] fuseQkv(ModelConfig c, float[] wq, float[] wk, float[] wv) {
        int d = c.dim(), hs = c.headSize(), group = c.groupSize();
        int head = hs * d;   // floats per head block
        float[] fused = new float[(c.nHeads() + 2 * c.nKvHeads()) * head];
        int at = 0;
        for (int g = 0; g < c.nKvHeads(); g++) {
            for (int j = 0; j < group; j++) {
                System.arraycopy(wq, (g * group + j) * head, fused, at, head);
                at += head;
            }
            System.arraycopy(wk, g * head, fused, at, head);
            at += head;
            System.arraycopy(wv, g * head, fused, at, head);
            at += head;
        }
        return fused;
    }

    /** A safetensors file: u64 header length, JSON header padded with spaces to 8 bytes, data. */
    static void writeSafetensors(Path file, Map<String, Raw> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, Raw> e : tensors.entrySet()) {
            ObjectNode n = header.putObject(e.getKey());
            n.put("dtype", e.getValue().dtype());
            var shape = n.putArray("shape");
            for (long s : e.getValue().shape()) {
                shape.add(s);
            }
            n.putArray("data_offsets").add(data.size()).add(data.size() + e.getValue().bytes().length);
            data.write(e.getValue().bytes());
        }
        String json = JSON.writeValueAsString(header);
        writeRaw(file, json + " ".repeat((8 - json.getBytes(StandardCharsets.UTF_8).length % 8) % 8),
                data.toByteArray());
    }

    /** A safetensors file with exactly this header text and data (for corrupt-file tests). */
    static void writeRaw(Path file, String headerJson, byte[] data) throws IOException {
        byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Files.write(file, b.array());
    }

    /**
     * Shards model-0000i-of-0000n.safetensors (tensors dealt out in order, contiguous runs) plus
     * model.safetensors.index.json.
     */
    static void writeSharded(Path folder, Map<String, Raw> tensors, int shards) throws IOException {
        List<String> names = new ArrayList<>(tensors.keySet());
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", tensors.values().stream().mapToLong(r -> r.bytes().length).sum());
        ObjectNode map = index.putObject("weight_map");
        for (int s = 0; s < shards; s++) {
            String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
            Map<String, Raw> part = new LinkedHashMap<>();
            for (int i = s * names.size() / shards; i < (s + 1) * names.size() / shards; i++) {
                part.put(names.get(i), tensors.get(names.get(i)));
                map.put(names.get(i), file);
            }
            writeSafetensors(folder.resolve(file), part);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(folder.resolve(HfTensors.INDEX_FILE).toFile(), index);
    }

    /** config.json as the Hugging Face LLaMA / InternLM2 configs spell it. */
    static ObjectNode configJson(ModelConfig c) {
        ObjectNode n = JSON.createObjectNode();
        boolean intern = c.family().equals("internlm2");
        n.putArray("architectures").add(intern ? "InternLM2ForCausalLM" : "LlamaForCausalLM");
        n.put("model_type", c.family());
        n.put("hidden_size", c.dim());
        n.put("intermediate_size", c.hiddenDim());
        n.put("num_hidden_layers", c.nLayers());
        n.put("num_attention_heads", c.nHeads());
        n.put("num_key_value_heads", c.nKvHeads());
        n.put("vocab_size", c.vocabSize());
        n.put("max_position_embeddings", c.contextLength());
        n.put("rms_norm_eps", 1e-5);
        n.put("rope_theta", c.ropeTheta());
        n.put("tie_word_embeddings", c.tiedEmbeddings());
        n.put("hidden_act", "silu");
        n.put("torch_dtype", "bfloat16");
        n.putNull("rope_scaling");
        if (intern) {
            n.put("bias", false);
        }
        return n;
    }

    static void writeJson(Path file, ObjectNode json) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
    }

    /** Writes config.json and the tensors: shards = 0 for one model.safetensors. */
    static void writeFolder(Path folder, ModelConfig c, Map<String, Raw> tensors, int shards) throws IOException {
        Files.createDirectories(folder);
        writeJson(folder.resolve(HfConfig.FILE_NAME), configJson(c));
        if (shards == 0) {
            writeSafetensors(folder.resolve(HfTensors.SINGLE_FILE), tensors);
        } else {
            writeSharded(folder, tensors, shards);
        }
    }

    /** The model's tensors in its family's layout. */
    static Map<String, Raw> tensorsOf(TinyModel m) {
        return m.config().family().equals("internlm2") ? internLm2Tensors(m) : llamaTensors(m);
    }
}
