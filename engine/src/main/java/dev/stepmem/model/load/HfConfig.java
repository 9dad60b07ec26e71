package dev.stepmem.model.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepmem.backend.RopeStyle;
import dev.stepmem.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a Hugging Face config.json of a LLaMA ({@code model_type "llama"}) or InternLM2
 * ({@code "internlm2"}) model into a {@link ModelConfig}.
 *
 * <p>Keys: hidden_size, intermediate_size, num_hidden_layers, num_attention_heads, vocab_size
 * (required); num_key_value_heads (default: num_attention_heads), max_position_embeddings
 * (default 2048), rms_norm_eps (default 1e-6), rope_theta (default 10000), tie_word_embeddings
 * (default false), rope_scaling (null, or {"type"|"rope_type": "dynamic", ...}). Both families
 * use Hugging Face's rotate-half RoPE.
 *
 * <p>Dynamic NTK: on for LLaMA with max_position_embeddings 4096 (LLaMA-2; the paper's reference
 * code applies it) from 4096 on, and for any config whose rope_scaling is "dynamic" from its
 * original_max_position_embeddings (else max_position_embeddings) on. The scaling factor in
 * rope_scaling is not kept: {@link dev.stepmem.model.Rope} uses the reference code's formula.
 */
public final class HfConfig {
    public static final String FILE_NAME = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfConfig() {
    }

    /** Reads folder/config.json. */
    public static ModelConfig read(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        String name = file.toString();
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new CheckpointException(name, "malformed JSON: " + e.getOriginalMessage(), e);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(name, "no such file (a Hugging Face model folder needs config.json)");
        } catch (IOException e) {
            throw new CheckpointException(name, "cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(name, "not a JSON object");
        }
        return parse(name, root);
    }

    static ModelConfig parse(String name, JsonNode root) {
        String type = root.path("model_type").asText("").toLowerCase(Locale.ROOT);
        if (!type.equals("llama") && !type.equals("internlm2")) {
            throw new CheckpointException(name, "model_type '" + root.path("model_type").asText("")
                    + "' is not supported (expected llama or internlm2)");
        }
        checkUnsupported(name, root);
        int dim = requiredInt(name, root, "hidden_size");
        int hidden = requiredInt(name, root, "intermediate_size");
        int layers = requiredInt(name, root, "num_hidden_layers");
        int heads = requiredInt(name, root, "num_attention_heads");
        int kvHeads = optionalInt(name, root, "num_key_value_heads", heads);
        int vocab = requiredInt(name, root, "vocab_size");
        int context = optionalInt(name, root, "max_position_embeddings", 2048);
        double eps = optionalDouble(name, root, "rms_norm_eps", 1e-6);
        double theta = optionalDouble(name, root, "rope_theta", 10000.0);
        boolean tied = optionalBoolean(name, root, "tie_word_embeddings", false);
        int ntk = dynamicNtkContext(name, root, type, context);
        if (root.hasNonNull("head_dim") && heads > 0 && root.path("head_dim").asInt() != dim / heads) {
            throw new CheckpointException(name, "head_dim " + root.path("head_dim").asInt()
                    + " differs from hidden_size / num_attention_heads = " + dim / heads + " (not supported)");
        }
        try {
            return new ModelConfig(type, dim, hidden, layers, heads, kvHeads, vocab, context, (float) eps, theta,
                    RopeStyle.ROTATE_HALF, ntk, tied);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(name, e.getMessage(), e);
        }
    }

    private static int dynamicNtkContext(String name, JsonNode root, String type, int context) {
        JsonNode scaling = root.path("rope_scaling");
        if (scaling.isMissingNode() || scaling.isNull()) {
            return type.equals("llama") && context == 4096 ? 4096 : 0;
        }
        String kind = scaling.path("type").asText(scaling.path("rope_type").asText(""));
        if (!kind.equals("dynamic")) {
            throw new CheckpointException(name, "rope_scaling type '" + kind + "' is not supported (only dynamic)");
        }
        return optionalInt(name, scaling, "original_max_position_embeddings", context);
    }

    /** Variants the engine's forward pass does not implement: refuse rather than compute wrongly. */
    private static void checkUnsupported(String name, JsonNode root) {
        String act = root.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            throw new CheckpointException(name, "hidden_act '" + act + "' is not supported (only silu)");
        }
        for (String key : new String[] {"attention_bias", "mlp_bias", "bias"}) {
            if (root.path(key).asBoolean(false)) {
                throw new CheckpointException(name, key + " = true is not supported (projections without bias only)");
            }
        }
    }

    private static int requiredInt(String name, JsonNode root, String key) {
        if (!root.hasNonNull(key)) {
            throw new CheckpointException(name, "missing key " + key);
        }
        return optionalInt(name, root, key, 0);
    }

    private static int optionalInt(String name, JsonNode root, String key, int dflt) {
        JsonNode n = root.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new CheckpointException(name, key + " must be an integer, got " + n);
        }
        return n.asInt();
    }

    private static double optionalDouble(String name, JsonNode root, String key, double dflt) {
        JsonNode n = root.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw new CheckpointException(name, key + " must be a number, got " + n);
        }
        return n.asDouble();
    }

    private static boolean optionalBoolean(String name, JsonNode root, String key, boolean dflt) {
        JsonNode n = root.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new CheckpointException(name, key + " must be true or false, got " + n);
        }
        return n.asBoolean();
    }
}
