package dev.stepmem.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stepmem.model.load.CheckpointException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A Hugging Face tokenizer.json with a BPE model (LLaMA-2, InternLM2): added tokens cut out
 * first, then normalizer, optional Metaspace pre-tokenizer, BPE by merge rank (lowest first)
 * with byte fallback to {@code <0xNN>} tokens. Unsupported settings are rejected by name.
 */
public final class HfBpeTokenizer implements Tokenizer {
    private final String file;
    private final Map<String, Integer> vocab;
    private final String[] pieces;
    private final boolean[] special;
    private final PairTable merges;
    private final AddedTokens added;
    private final HfNormalizer normalizer;
    private final HfPreTokenizer preTokenizer;
    private final HfDecoder decoder;
    private final boolean byteFallback;
    private final int[] byteIds;
    private final int unk;
    private final boolean fuseUnk;
    private final boolean ignoreMerges;
    private final boolean dummyPrefix;
    private final int bos;
    private final int eos;

    private HfBpeTokenizer(String file, JsonNode root, String configFile, JsonNode config) {
        this.file = file;
        JsonNode model = root.path("model");
        if (model.isMissingNode() || model.isNull()) {
            throw new CheckpointException(file, "no \"model\" section: not a Hugging Face tokenizer.json");
        }
        String type = model.path("type").asText(model.has("merges") ? "BPE" : "");
        if (!type.equals("BPE")) {
            throw new CheckpointException(file, "unsupported model.type \"" + type + "\" (only BPE is supported)");
        }
        rejectIfSet(model, "continuing_subword_prefix");
        rejectIfSet(model, "end_of_word_suffix");
        if (model.hasNonNull("dropout") && model.get("dropout").asDouble() != 0) {
            throw new CheckpointException(file, "unsupported model.dropout " + model.get("dropout")
                    + " (BPE dropout is for training only)");
        }
        this.vocab = readVocab(model.path("vocab"));
        int size = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        JsonNode addedNode = root.path("added_tokens");
        for (JsonNode t : addedNode) {
            size = Math.max(size, t.path("id").asInt() + 1);
        }
        this.pieces = new String[size];
        this.special = new boolean[size];
        vocab.forEach((tok, id) -> pieces[id] = tok);
        this.added = new AddedTokens();
        for (JsonNode t : addedNode) {
            int id = t.path("id").asInt(-1);
            String content = t.path("content").asText(null);
            if (id < 0 || content == null) {
                throw new CheckpointException(file, "added_tokens entry without id/content: " + t);
            }
            pieces[id] = content;
            special[id] = t.path("special").asBoolean(false);
            added.add(content, id);
        }
        // tokenizer_config.json's added_tokens_decoder: InternLM2 declares <|im_start|> etc. only there.
        for (Map.Entry<String, JsonNode> e : config.path("added_tokens_decoder").properties()) {
            int id;
            try {
                id = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw new CheckpointException(configFile, "added_tokens_decoder key \"" + e.getKey() + "\" is not an id");
            }
            String content = e.getValue().path("content").asText(null);
            if (id < 0 || id >= pieces.length || content == null) {
                throw new CheckpointException(configFile, "added_tokens_decoder[" + id + "] is outside the vocabulary of "
                        + file + " or has no content");
            }
            pieces[id] = content;
            special[id] = e.getValue().path("special").asBoolean(false);
            added.add(content, id);
        }
        this.merges = readMerges(model.path("merges"));
        this.byteFallback = model.path("byte_fallback").asBoolean(false);
        this.byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            byteIds[b] = vocab.getOrDefault(String.format("<0x%02X>", b), -1);
        }
        String unkToken = model.hasNonNull("unk_token") ? model.get("unk_token").asText() : null;
        this.unk = unkToken == null ? -1 : idOf(unkToken);
        if (unkToken != null && unk < 0) {
            throw new CheckpointException(file, "model.unk_token \"" + unkToken + "\" is not in the vocabulary");
        }
        this.fuseUnk = model.path("fuse_unk").asBoolean(false);
        this.ignoreMerges = model.path("ignore_merges").asBoolean(false);
        this.normalizer = HfNormalizer.parse(root.get("normalizer"), file);
        this.preTokenizer = HfPreTokenizer.parse(root.get("pre_tokenizer"), file);
        this.decoder = HfDecoder.parse(root.get("decoder"), file);
        String prefix = normalizer.prepended();
        this.dummyPrefix = (prefix != null && !prefix.isEmpty()) || preTokenizer.prepends();
        this.bos = idOf(configToken(config, "bos_token", "<s>"));
        this.eos = idOf(configToken(config, "eos_token", "</s>"));
        // BOS/EOS mark sequence ends: decode never prints them, even if not flagged special.
        if (bos >= 0) {
            special[bos] = true;
        }
        if (eos >= 0) {
            special[eos] = true;
        }
    }

    /** "bos_token": "<s>" or {"content": "<s>", ...} in tokenizer_config.json, else the default. */
    private static String configToken(JsonNode config, String field, String fallback) {
        JsonNode n = config.path(field);
        return n.isTextual() ? n.asText() : n.path("content").asText(fallback);
    }

    /**
     * Loads a tokenizer.json, plus the tokenizer_config.json beside it if there is one (for its
     * added_tokens_decoder and bos/eos names). A malformed or unsupported file gives a
     * CheckpointException naming it.
     */
    public static HfBpeTokenizer load(Path tokenizerJson) {
        JsonNode root = readJson(tokenizerJson);
        Path configPath = tokenizerJson.resolveSibling("tokenizer_config.json");
        JsonNode config = Files.exists(configPath) ? readJson(configPath) : JsonNodeFactory.instance.objectNode();
        return new HfBpeTokenizer(tokenizerJson.toString(), root, configPath.toString(), config);
    }

    private static JsonNode readJson(Path path) {
        String file = path.toString();
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(path.toFile());
        } catch (JacksonException e) {
            throw new CheckpointException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.CharConversionException e) { // bytes that are no Unicode text at all
            throw new CheckpointException(file, "not valid JSON: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(file, "not a JSON object: not a Hugging Face tokenizer file");
        }
        return root;
    }

    private void rejectIfSet(JsonNode model, String field) {
        if (model.hasNonNull(field) && !model.get(field).asText().isEmpty()) {
            throw new CheckpointException(file, "unsupported model." + field + " \"" + model.get(field).asText() + "\"");
        }
    }

    private Map<String, Integer> readVocab(JsonNode node) {
        if (!node.isObject()) {
            throw new CheckpointException(file, "model.vocab must be an object of token -> id");
        }
        Map<String, Integer> v = new HashMap<>(node.size() * 2);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            int id = e.getValue().asInt(-1);
            if (!e.getValue().canConvertToInt() || id < 0) {
                throw new CheckpointException(file, "model.vocab[\"" + e.getKey() + "\"] is not a non-negative id: " + e.getValue());
            }
            v.put(e.getKey(), id);
        }
        return v;
    }

    /** Merges as "a b" strings (older files) or ["a", "b"] pairs (newer); rank = position. */
    private PairTable readMerges(JsonNode node) {
        PairTable table = new PairTable(node.size());
        for (int rank = 0; rank < node.size(); rank++) {
            JsonNode m = node.get(rank);
            String a;
            String b;
            if (m.isTextual()) {
                String[] parts = m.asText().split(" ", -1);
                if (parts.length != 2) {
                    throw new CheckpointException(file, "model.merges[" + rank + "] \"" + m.asText() + "\" is not two tokens");
                }
                a = parts[0];
                b = parts[1];
            } else if (m.isArray() && m.size() == 2) {
                a = m.get(0).asText();
                b = m.get(1).asText();
            } else {
                throw new CheckpointException(file, "model.merges[" + rank + "] is neither \"a b\" nor [a, b]: " + m);
            }
            Integer ia = vocab.get(a);
            Integer ib = vocab.get(b);
            Integer merged = vocab.get(a + b);
            if (ia == null || ib == null || merged == null) {
                String missing = ia == null ? a : ib == null ? b : a + b;
                throw new CheckpointException(file, "model.merges[" + rank + "] uses \"" + missing + "\", which is not in model.vocab");
            }
            table.put(ia, ib, BpeMerger.pack(rank, merged));
        }
        return table;
    }

    private int idOf(String token) {
        Integer id = vocab.get(token);
        if (id != null) {
            return id;
        }
        for (int i = 0; i < pieces.length; i++) {
            if (token.equals(pieces[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int[] encode(String text, boolean bos, boolean eos) {
        // Unpaired surrogates cannot be UTF-8 encoded; treat them as Java's encoder does ('?').
        text = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        IntList out = new IntList(text.length() + 2);
        if (bos && this.bos >= 0) {
            out.add(this.bos);
        }
        for (AddedTokens.Segment seg : added.split(text)) {
            if (seg.id() >= 0) {
                out.add(seg.id());
                continue;
            }
            for (String word : preTokenizer.words(normalizer.apply(seg.text()), seg.offset() == 0)) {
                bpe(word, out);
            }
        }
        if (eos && this.eos >= 0) {
            out.add(this.eos);
        }
        return out.toArray();
    }

    private void bpe(String word, IntList out) {
        if (ignoreMerges && vocab.containsKey(word)) {
            out.add(vocab.get(word));
            return;
        }
        IntList syms = new IntList(word.length());
        boolean lastUnk = false;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            int len = Character.charCount(cp);
            String ch = word.substring(i, i + len);
            i += len;
            Integer id = vocab.get(ch);
            if (id != null) {
                syms.add(id);
                lastUnk = false;
            } else if (byteFallback && addBytes(ch, syms)) {
                lastUnk = false;
            } else if (unk >= 0) {
                if (!(fuseUnk && lastUnk)) {
                    syms.add(unk);
                }
                lastUnk = true;
            } else {
                throw new IllegalArgumentException(String.format("character U+%04X is not in the vocabulary of %s, "
                        + "which has neither byte_fallback nor unk_token", cp, file));
            }
        }
        int[] merged = BpeMerger.merge(syms.toArray(), (l, r) -> merges.get(l, r, BpeMerger.NONE));
        out.addAll(merged);
    }

    /** HF falls back to bytes only if every byte of the character has a token. */
    private boolean addBytes(String ch, IntList syms) {
        byte[] bytes = ch.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            if (byteIds[b & 0xFF] < 0) {
                return false;
            }
        }
        for (byte b : bytes) {
            syms.add(byteIds[b & 0xFF]);
        }
        return true;
    }

    @Override
    public byte[] tokenBytes(int prev, int id) {
        if (id < 0 || id >= pieces.length) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + file);
        }
        String p = pieces[id];
        if (p == null || special[id]) {
            return new byte[0];
        }
        if (decoder.byteFallback()) {
            int b = p.length() == 6 ? Llama2cTokenizer.byteToken(p.getBytes(StandardCharsets.ISO_8859_1)) : -1;
            if (b >= 0) {
                return new byte[]{(byte) b};
            }
        }
        String s = decoder.replace(p);
        // The ▁ that encode prepended (dummy prefix) is not part of the text.
        if (dummyPrefix && prev == bos && s.startsWith(" ")) {
            s = s.substring(1);
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    @Override
    public int bos() {
        return bos;
    }

    @Override
    public int eos() {
        return eos;
    }

    @Override
    public String piece(int id) {
        return pieces[id];
    }

    /** True if encode prepends a dummy-prefix ▁ (LLaMA-2), false for InternLM2-style files. */
    public boolean addsDummyPrefix() {
        return dummyPrefix;
    }

    /** A growable int array; avoids boxing millions of ids. */
    static final class IntList {
        private int[] a;
        private int n;

        IntList(int capacity) {
            a = new int[Math.max(4, capacity)];
        }

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        void addAll(int[] vs) {
            if (n + vs.length > a.length) {
                a = Arrays.copyOf(a, Math.max(n * 2, n + vs.length));
            }
            System.arraycopy(vs, 0, a, n, vs.length);
            n += vs.length;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
