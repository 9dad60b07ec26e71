package dev.stepmem.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepmem.model.load.CheckpointException;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The "normalizer" of a Hugging Face tokenizer.json, for the kinds LLaMA-family tokenizers use:
 * Sequence, Prepend, Replace (literal pattern), NFC/NFD/NFKC/NFKD, Lowercase. Anything else is
 * rejected by name rather than silently producing different ids.
 */
final class HfNormalizer {
    private final List<UnaryOperator<String>> steps;
    private final String prepended;

    private HfNormalizer(List<UnaryOperator<String>> steps, String prepended) {
        this.steps = steps;
        this.prepended = prepended;
    }

    static HfNormalizer parse(JsonNode node, String file) {
        List<UnaryOperator<String>> steps = new ArrayList<>();
        String[] prepended = {null};
        if (node != null && !node.isNull()) {
            add(node, "normalizer", file, steps, prepended);
        }
        return new HfNormalizer(steps, prepended[0]);
    }

    private static void add(JsonNode n, String where, String file, List<UnaryOperator<String>> steps, String[] prepended) {
        String type = n.path("type").asText("");
        switch (type) {
            case "Sequence" -> {
                JsonNode list = n.path("normalizers");
                for (int i = 0; i < list.size(); i++) {
                    add(list.get(i), where + ".normalizers[" + i + "]", file, steps, prepended);
                }
            }
            case "Prepend" -> {
                String p = n.path("prepend").asText();
                prepended[0] = p;
                // HF prepends only to non-empty text (like SentencePiece's dummy prefix).
                steps.add(s -> s.isEmpty() ? s : p + s);
            }
            case "Replace" -> {
                String pattern = literalPattern(n.path("pattern"), where, file);
                String content = n.path("content").asText();
                steps.add(s -> s.replace(pattern, content));
            }
            case "NFC" -> steps.add(s -> Normalizer.normalize(s, Normalizer.Form.NFC));
            case "NFD" -> steps.add(s -> Normalizer.normalize(s, Normalizer.Form.NFD));
            case "NFKC" -> steps.add(s -> Normalizer.normalize(s, Normalizer.Form.NFKC));
            case "NFKD" -> steps.add(s -> Normalizer.normalize(s, Normalizer.Form.NFKD));
            case "Lowercase" -> steps.add(s -> s.toLowerCase(Locale.ROOT));
            default -> throw new CheckpointException(file, "unsupported " + where + ".type \"" + type
                    + "\" (supported: Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD, Lowercase)");
        }
    }

    /** Only {"String": s} patterns; regex patterns would need the Oniguruma dialect. */
    static String literalPattern(JsonNode pattern, String where, String file) {
        if (pattern.has("String")) {
            return pattern.get("String").asText();
        }
        throw new CheckpointException(file, "unsupported " + where + ".pattern " + pattern
                + " (only {\"String\": ...} patterns are supported)");
    }

    String apply(String s) {
        for (UnaryOperator<String> step : steps) {
            s = step.apply(s);
        }
        return s;
    }

    /** The dummy prefix a Prepend step adds (LLaMA: "▁"), or null. */
    String prepended() {
        return prepended;
    }
}
