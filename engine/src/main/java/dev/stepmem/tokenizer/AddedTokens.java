package dev.stepmem.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The "added_tokens" of a tokenizer.json (e.g. {@code <s>}, {@code <|im_start|>}). As in
 * Hugging Face, they are cut out of the raw text before normalization (longest match first) and
 * map straight to their ids; the text between them is tokenized normally.
 */
final class AddedTokens {
    /** A piece of input: either an added token's id, or plain text (id = -1). */
    record Segment(String text, int id, int offset) {
    }

    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<Character, List<String>> byFirstChar = new HashMap<>();

    void add(String content, int id) {
        if (content.isEmpty()) {
            return;
        }
        ids.put(content, id);
        List<String> list = byFirstChar.computeIfAbsent(content.charAt(0), c -> new ArrayList<>());
        list.add(content);
        list.sort(Comparator.comparingInt(String::length).reversed());
    }

    List<Segment> split(String text) {
        List<Segment> out = new ArrayList<>();
        if (ids.isEmpty()) {
            out.add(new Segment(text, -1, 0));
            return out;
        }
        int plainStart = 0;
        int i = 0;
        while (i < text.length()) {
            String match = null;
            List<String> candidates = byFirstChar.get(text.charAt(i));
            if (candidates != null) {
                for (String c : candidates) {
                    if (text.startsWith(c, i)) {
                        match = c;
                        break;
                    }
                }
            }
            if (match == null) {
                i++;
                continue;
            }
            if (i > plainStart) {
                out.add(new Segment(text.substring(plainStart, i), -1, plainStart));
            }
            out.add(new Segment(match, ids.get(match), i));
            i += match.length();
            plainStart = i;
        }
        if (plainStart < text.length()) {
            out.add(new Segment(text.substring(plainStart), -1, plainStart));
        }
        return out;
    }
}
