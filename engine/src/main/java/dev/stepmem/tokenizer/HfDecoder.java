package dev.stepmem.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepmem.model.load.CheckpointException;

import java.util.ArrayList;
import java.util.List;

/**
 * The "decoder" of a tokenizer.json, for the SentencePiece-style kinds: Replace (▁ to space),
 * ByteFallback ({@code <0xNN>} to bytes), Fuse, Strip, Metaspace. Strip is not applied literally:
 * the tokenizer drops the leading space only where encode added a dummy prefix, so text that
 * starts with a space round-trips (InternLM2's file has Strip but no prefix).
 */
final class HfDecoder {
    private final List<String[]> replacements;
    private final boolean byteFallback;

    private HfDecoder(List<String[]> replacements, boolean byteFallback) {
        this.replacements = replacements;
        this.byteFallback = byteFallback;
    }

    static HfDecoder parse(JsonNode node, String file) {
        List<String[]> repl = new ArrayList<>();
        boolean[] bytes = {false};
        if (node != null && !node.isNull()) {
            add(node, "decoder", file, repl, bytes);
        }
        return new HfDecoder(repl, bytes[0]);
    }

    private static void add(JsonNode n, String where, String file, List<String[]> repl, boolean[] bytes) {
        String type = n.path("type").asText("");
        switch (type) {
            case "Sequence" -> {
                JsonNode list = n.path("decoders");
                for (int i = 0; i < list.size(); i++) {
                    add(list.get(i), where + ".decoders[" + i + "]", file, repl, bytes);
                }
            }
            case "Replace" -> repl.add(new String[]{HfNormalizer.literalPattern(n.path("pattern"), where, file),
                    n.path("content").asText()});
            case "Metaspace" -> repl.add(new String[]{n.path("replacement").asText("\u2581"), " "});
            case "ByteFallback" -> bytes[0] = true;
            case "Fuse", "Strip" -> {
                // Fuse: we join bytes anyway. Strip: see the class comment.
            }
            default -> throw new CheckpointException(file, "unsupported " + where + ".type \"" + type
                    + "\" (supported: Sequence, Replace, ByteFallback, Fuse, Strip, Metaspace)");
        }
    }

    /** True if {@code <0xNN>} pieces decode to their byte. */
    boolean byteFallback() {
        return byteFallback;
    }

    String replace(String piece) {
        for (String[] r : replacements) {
            piece = piece.replace(r[0], r[1]);
        }
        return piece;
    }
}
