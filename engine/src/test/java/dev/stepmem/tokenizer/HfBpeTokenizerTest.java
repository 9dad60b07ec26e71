package dev.stepmem.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepmem.model.load.CheckpointException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static dev.stepmem.tokenizer.TinyTokenizerJson.ids;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HfBpeTokenizerTest {
    static final String[] TEXTS = {"hello world", "hello  world", " hello", "héllo wörld", "hello\nworld\n",
            "東京 😀", "  ", "d", "", "hello<s>world"};

    @TempDir
    Path dir;

    HfBpeTokenizer tiny(boolean llamaStyle, boolean pairs) throws Exception {
        return HfBpeTokenizer.load(TinyTokenizerJson.write(TinyTokenizerJson.build(llamaStyle, pairs),
                dir.resolve("tokenizer-" + llamaStyle + pairs + ".json")));
    }

    @Test
    void llamaStylePrependsAndMergesByRank() throws Exception {
        for (boolean pairs : new boolean[]{false, true}) {
            HfBpeTokenizer t = tiny(true, pairs);
            assertTrue(t.addsDummyPrefix());
            assertArrayEquals(ids("\u2581hello", "\u2581world"), t.encode("hello world", false, false));
            assertArrayEquals(new int[]{1, 259 + 15, 259 + 17, 2}, t.encode("hello world", true, true));
            // "▁ ▁" has the last rank, so each ▁ first joins the word after it where it can.
            assertArrayEquals(ids("\u2581hello", "\u2581", "\u2581world"), t.encode("hello  world", false, false));
            assertEquals(1, t.bos());
            assertEquals(2, t.eos());
            assertEquals(259 + TinyTokenizerJson.PIECES.length, t.vocabSize());
        }
    }

    @Test
    void internLm2StyleHasNoLeadingSpace() throws Exception {
        HfBpeTokenizer t = tiny(false, false);
        assertFalse(t.addsDummyPrefix());
        assertArrayEquals(ids("hello", "\u2581world"), t.encode("hello world", false, false));
        assertArrayEquals(ids("\u2581hello"), t.encode(" hello", false, false));
    }

    @Test
    void byteFallbackForUnknownCharacters() throws Exception {
        HfBpeTokenizer t = tiny(true, false);
        // é is not in the vocabulary: its two UTF-8 bytes become <0xC3><0xA9>.
        assertArrayEquals(ids("\u2581", "h", "<0xC3>", "<0xA9>", "ll", "o"), t.encode("héllo", false, false));
        assertArrayEquals(ids("\u2581", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>"), t.encode("😀", false, false));
        assertEquals("😀", t.decode(t.encode("😀", false, false)));
        assertEquals("<0xC3>", t.piece(3 + 0xC3));
    }

    @Test
    void addedTokensAreCutOutBeforeNormalizing() throws Exception {
        HfBpeTokenizer t = tiny(true, false);
        assertArrayEquals(new int[]{259 + 15, 1, 259 + 17}, t.encode("hello<s>world", false, false));
    }

    @Test
    void roundTripsBothStyles() throws Exception {
        for (boolean llama : new boolean[]{true, false}) {
            HfBpeTokenizer t = tiny(llama, false);
            for (String s : TEXTS) {
                if (s.contains("<s>")) {
                    continue; // special tokens are dropped by decode, as with skip_special_tokens
                }
                assertEquals(s, t.decode(t.encode(s, false, false)), s);
                assertEquals(s, t.decode(t.encode(s, true, true)), s);
                assertEquals(s, Llama2cTokenizerTest.streamed(t, t.encode(s, true, false)), s);
            }
        }
    }

    @Test
    void unsupportedSettingsNameTheFileAndField() throws Exception {
        expectError(r -> ((ObjectNode) r.get("model")).put("type", "WordPiece"), "model.type \"WordPiece\"");
        expectError(r -> r.putObject("pre_tokenizer").put("type", "ByteLevel"), "pre_tokenizer.type \"ByteLevel\"");
        expectError(r -> ((ObjectNode) r.get("normalizer").get("normalizers").get(0)).put("type", "Precompiled"),
                "normalizer.normalizers[0].type \"Precompiled\"");
        expectError(r -> r.putObject("decoder").put("type", "ByteLevel"), "decoder.type \"ByteLevel\"");
        expectError(r -> ((ObjectNode) r.get("model")).put("continuing_subword_prefix", "##"), "continuing_subword_prefix");
        expectError(r -> ((com.fasterxml.jackson.databind.node.ArrayNode) r.get("model").get("merges")).add("x y"),
                "not in model.vocab");
        expectError(r -> ((ObjectNode) r.get("model")).put("dropout", 0.1), "dropout");
    }

    @Test
    void invalidJsonNamesTheFile() throws Exception {
        Path p = Files.writeString(dir.resolve("broken.json"), "{\"model\": ");
        CheckpointException e = assertThrows(CheckpointException.class, () -> HfBpeTokenizer.load(p));
        assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    private void expectError(Consumer<ObjectNode> edit, String expected) throws Exception {
        ObjectNode root = TinyTokenizerJson.build(true, false);
        edit.accept(root);
        Path p = TinyTokenizerJson.write(root, dir.resolve("bad.json"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> HfBpeTokenizer.load(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
