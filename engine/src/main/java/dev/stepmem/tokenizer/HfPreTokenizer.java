package dev.stepmem.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepmem.model.load.CheckpointException;

import java.util.ArrayList;
import java.util.List;

/**
 * The "pre_tokenizer" of a tokenizer.json: none (LLaMA-2, InternLM2: BPE sees the whole text)
 * or Metaspace (newer LLaMA exports: spaces become ▁, optional prefix, optional split before ▁).
 */
final class HfPreTokenizer {
    private final boolean metaspace;
    private final String replacement;
    private final String prependScheme;
    private final boolean split;

    private HfPreTokenizer(boolean metaspace, String replacement, String prependScheme, boolean split) {
        this.metaspace = metaspace;
        this.replacement = replacement;
        this.prependScheme = prependScheme;
        this.split = split;
    }

    static HfPreTokenizer parse(JsonNode node, String file) {
        if (node == null || node.isNull()) {
            return new HfPreTokenizer(false, null, "never", false);
        }
        String type = node.path("type").asText("");
        if (type.equals("Sequence") && node.path("pretokenizers").size() == 1) {
            return parse(node.path("pretokenizers").get(0), file);
        }
        if (!type.equals("Metaspace")) {
            throw new CheckpointException(file, "unsupported pre_tokenizer.type \"" + type
                    + "\" (supported: none, Metaspace)");
        }
        String scheme = node.has("prepend_scheme") ? node.get("prepend_scheme").asText()
                : node.path("add_prefix_space").asBoolean(true) ? "always" : "never";
        if (!List.of("always", "first", "never").contains(scheme)) {
            throw new CheckpointException(file, "unsupported pre_tokenizer.prepend_scheme \"" + scheme + "\"");
        }
        return new HfPreTokenizer(true, node.path("replacement").asText("\u2581"), scheme,
                node.path("split").asBoolean(true));
    }

    /** Words for BPE from one normalized segment; {@code first} is true for the text's first segment. */
    List<String> words(String s, boolean first) {
        if (!metaspace) {
            return s.isEmpty() ? List.of() : List.of(s);
        }
        s = s.replace(" ", replacement);
        boolean prepend = prependScheme.equals("always") || (prependScheme.equals("first") && first);
        if (prepend && !s.isEmpty() && !s.startsWith(replacement)) {
            s = replacement + s;
        }
        if (!split) {
            return s.isEmpty() ? List.of() : List.of(s);
        }
        // Split before each ▁, keeping it with the word that follows (HF's MergedWithNext).
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = s.indexOf(replacement, 1); i >= 0; i = s.indexOf(replacement, i + 1)) {
            if (i > start) {
                out.add(s.substring(start, i));
                start = i;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }

    /** True if this pre-tokenizer adds a leading ▁ that decoding must drop. */
    boolean prepends() {
        return metaspace && !prependScheme.equals("never");
    }
}
