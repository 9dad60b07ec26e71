package dev.stepmem.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;

/** Builds small tokenizer.json files in the two layouts the project meets: LLaMA-2 and InternLM2. */
final class TinyTokenizerJson {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] PIECES = {"\u2581", "h", "e", "l", "o", "w", "r", "d", "ll", "he", "\u2581w", "or", "hell",
            "hello", "\u2581wor", "\u2581hello", "ld", "\u2581world", "\u2581\u2581"};
    static final String[][] MERGES = {{"l", "l"}, {"h", "e"}, {"\u2581", "w"}, {"o", "r"}, {"he", "ll"},
            {"hell", "o"}, {"\u2581w", "or"}, {"\u2581", "hello"}, {"l", "d"}, {"\u2581wor", "ld"}, {"\u2581", "\u2581"}};

    private TinyTokenizerJson() {
    }

    /** @param llamaStyle LLaMA-2 (Prepend ▁ + Replace) if true, InternLM2 (Replace only) if false */
    static ObjectNode build(boolean llamaStyle, boolean mergesAsPairs) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        String[] specials = {"<unk>", "<s>", "</s>"};
        for (int i = 0; i < 3; i++) {
            added.addObject().put("id", i).put("content", specials[i]).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        ObjectNode norm = root.putObject("normalizer").put("type", "Sequence");
        ArrayNode steps = norm.putArray("normalizers");
        if (llamaStyle) {
            steps.addObject().put("type", "Prepend").put("prepend", "\u2581");
        }
        ObjectNode replace = steps.addObject().put("type", "Replace");
        replace.putObject("pattern").put("String", " ");
        replace.put("content", "\u2581");
        root.putNull("pre_tokenizer");
        ObjectNode dec = root.putObject("decoder").put("type", "Sequence");
        ArrayNode decs = dec.putArray("decoders");
        ObjectNode dr = decs.addObject().put("type", "Replace");
        dr.putObject("pattern").put("String", "\u2581");
        dr.put("content", " ");
        decs.addObject().put("type", "ByteFallback");
        decs.addObject().put("type", "Fuse");
        decs.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout").put("unk_token", "<unk>").putNull("continuing_subword_prefix")
                .putNull("end_of_word_suffix").put("fuse_unk", true).put("byte_fallback", true);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < 3; i++) {
            vocab.put(specials[i], i);
        }
        for (int b = 0; b < 256; b++) {
            vocab.put(String.format("<0x%02X>", b), 3 + b);
        }
        for (int i = 0; i < PIECES.length; i++) {
            vocab.put(PIECES[i], 259 + i);
        }
        ArrayNode merges = model.putArray("merges");
        for (String[] m : MERGES) {
            if (mergesAsPairs) {
                merges.addArray().add(m[0]).add(m[1]);
            } else {
                merges.add(m[0] + " " + m[1]);
            }
        }
        return root;
    }

    static Path write(ObjectNode root, Path file) throws IOException {
        JSON.writeValue(file.toFile(), root);
        return file;
    }

    static int id(String piece) {
        for (int i = 0; i < PIECES.length; i++) {
            if (PIECES[i].equals(piece)) {
                return 259 + i;
            }
        }
        if (piece.startsWith("<0x")) {
            return 3 + Integer.parseInt(piece.substring(3, 5), 16);
        }
        throw new IllegalArgumentException(piece);
    }

    static int[] ids(String... pieces) {
        int[] out = new int[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            out[i] = id(pieces[i]);
        }
        return out;
    }
}
