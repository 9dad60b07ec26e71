package dev.stepmem.model.load;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.tensor.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken folders: every message names the file (or folder) and the problem. */
class HfCheckpointErrorsTest {
    @TempDir
    Path dir;

    private Map<String, TinyCheckpointWriter.Raw> tensors(String family) {
        return TinyCheckpointWriter.tensorsOf(TinyCheckpointWriter.randomModel(
                TinyCheckpointWriter.tinyConfig(family, false), DType.BF16, 7));
    }

    private void write(String family, Map<String, TinyCheckpointWriter.Raw> t, int shards) throws IOException {
        TinyCheckpointWriter.writeFolder(dir, TinyCheckpointWriter.tinyConfig(family, false), t, shards);
    }

    private void fails(Path file, String... fragments) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> HfCheckpointLoader.load(dir).close());
        assertTrue(e.getMessage().contains(file.toString()), "'" + file + "' not in: " + e.getMessage());
        for (String s : fragments) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' not in: " + e.getMessage());
        }
    }

    @Test
    void missingTensor() throws IOException {
        var t = tensors("llama");
        t.remove("model.layers.1.mlp.up_proj.weight");
        write("llama", t, 0);
        fails(dir.resolve("model.safetensors"), "missing tensor model.layers.1.mlp.up_proj.weight");
    }

    @Test
    void missingTensorInShardedFolder() throws IOException {
        var t = tensors("internlm2");
        t.remove("output.weight");
        write("internlm2", t, 2);
        fails(dir.resolve("model.safetensors.index.json"), "missing tensor output.weight");
    }

    @Test
    void missingClassifierWhenUntied() throws IOException {
        var t = tensors("llama");
        t.remove("lm_head.weight");
        write("llama", t, 0);
        fails(dir.resolve("model.safetensors"), "missing tensor lm_head.weight");
    }

    @Test
    void wrongShape() throws IOException {
        var t = tensors("llama");
        t.put("model.layers.0.mlp.gate_proj.weight",
                TinyCheckpointWriter.raw(DType.BF16, new float[64 * 95], 95, 64));
        write("llama", t, 0);
        fails(dir.resolve("model.safetensors"), "tensor model.layers.0.mlp.gate_proj.weight",
                "has shape [95, 64]", "expected [96, 64]");
    }

    @Test
    void wrongFusedQkvShape() throws IOException {
        var t = tensors("internlm2");
        t.put("model.layers.1.attention.wqkv.weight", TinyCheckpointWriter.raw(DType.BF16, new float[64 * 64], 64, 64));
        write("internlm2", t, 0);
        fails(dir.resolve("model.safetensors"), "tensor model.layers.1.attention.wqkv.weight",
                "has shape [64, 64]", "expected [128, 64]");
    }

    @Test
    void unsupportedDtype() throws IOException {
        var t = tensors("llama");
        t.put("model.layers.0.self_attn.k_proj.weight", new TinyCheckpointWriter.Raw("I8", new long[] {32, 64}, new byte[32 * 64]));
        write("llama", t, 0);
        fails(dir.resolve("model.safetensors"), "tensor model.layers.0.self_attn.k_proj.weight", "dtype I8");
    }

    @Test
    void missingShard() throws IOException {
        write("llama", tensors("llama"), 3);
        Files.delete(dir.resolve("model-00002-of-00003.safetensors"));
        fails(dir.resolve("model.safetensors.index.json"), "shard model-00002-of-00003.safetensors", "does not exist");
    }

    @Test
    void truncatedWeights() throws IOException {
        write("internlm2", tensors("internlm2"), 0);
        Path file = dir.resolve("model.safetensors");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 1000);
        }
        fails(file, "tensor output.weight", "out of range");
    }

    @Test
    void headerLengthTooBig() throws IOException {
        write("llama", tensors("llama"), 0);
        Path file = dir.resolve("model.safetensors");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40), 0);
        }
        fails(file, "header length " + (1L << 40), "does not fit");
    }

    @Test
    void inconsistentConfig() throws IOException {
        write("llama", tensors("llama"), 0);
        ObjectNode cfg = TinyCheckpointWriter.configJson(TinyCheckpointWriter.tinyConfig("llama", false));
        cfg.put("num_attention_heads", 5);
        cfg.put("num_key_value_heads", 5);
        TinyCheckpointWriter.writeJson(dir.resolve("config.json"), cfg);
        fails(dir.resolve("config.json"), "dim 64 is not divisible by n_heads 5");
    }

    @Test
    void configMissingKeyOrUnsupportedModel() throws IOException {
        write("llama", tensors("llama"), 0);
        ObjectNode cfg = TinyCheckpointWriter.configJson(TinyCheckpointWriter.tinyConfig("llama", false));
        cfg.remove("hidden_size");
        TinyCheckpointWriter.writeJson(dir.resolve("config.json"), cfg);
        fails(dir.resolve("config.json"), "missing key hidden_size");
        ModelConfig c = TinyCheckpointWriter.tinyConfig("llama", false);
        TinyCheckpointWriter.writeJson(dir.resolve("config.json"), TinyCheckpointWriter.configJson(c).put("model_type", "gpt2"));
        fails(dir.resolve("config.json"), "model_type 'gpt2' is not supported");
    }

    @Test
    void missingConfig() throws IOException {
        write("llama", tensors("llama"), 0);
        Files.delete(dir.resolve("config.json"));
        fails(dir.resolve("config.json"), "no such file");
    }

    @Test
    void malformedConfig() throws IOException {
        write("llama", tensors("llama"), 0);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\", ");
        fails(dir.resolve("config.json"), "malformed JSON");
    }

    @Test
    void malformedIndex() throws IOException {
        write("llama", tensors("llama"), 2);
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"weight_map\": [1, 2]}");
        fails(dir.resolve("model.safetensors.index.json"), "no weight_map");
    }

    @Test
    void noWeightsFile() throws IOException {
        write("llama", tensors("llama"), 0);
        Files.delete(dir.resolve("model.safetensors"));
        fails(dir, "no model.safetensors or model.safetensors.index.json");
    }
}
