package dev.stepmem.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebuilds LLaMA-2's Hugging Face tokenizer.json from llama-tokenizer-js, which bakes the vocab
 * ('\n'-joined, base64) and the merges (pairs of uint16 ids, base64) into its JS file.
 */
final class LlamaTokenizerJs {
    private LlamaTokenizerJs() {
    }

    static Path toTokenizerJson(Path js, Path out) throws IOException {
        String src = Files.readString(js);
        String[] vocab = new String(Base64.getDecoder().decode(constant(src, "llama_vocab_base64")),
                StandardCharsets.UTF_8).split("\n", -1);
        ByteBuffer merges = ByteBuffer.wrap(Base64.getDecoder().decode(constant(src, "llama_merges_binary")))
                .order(ByteOrder.LITTLE_ENDIAN);

        // Same layout as meta-llama/Llama-2-7b-hf's tokenizer.json; reuse the tiny builder's shell.
        ObjectNode root = TinyTokenizerJson.build(true, false);
        ObjectNode model = (ObjectNode) root.get("model");
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < vocab.length; i++) {
            v.put(vocab[i], i);
        }
        ArrayNode m = model.putArray("merges");
        while (merges.remaining() >= 4) {
            int a = merges.getShort() & 0xFFFF;
            int b = merges.getShort() & 0xFFFF;
            m.add(vocab[a] + " " + vocab[b]);
        }
        return TinyTokenizerJson.write(root, out);
    }

    private static String constant(String src, String name) {
        Matcher mt = Pattern.compile("const " + name + " = \"([A-Za-z0-9+/=]*)\"").matcher(src);
        if (!mt.find()) {
            throw new IllegalStateException("llama-tokenizer.js has no " + name);
        }
        return mt.group(1);
    }
}
