package dev.stepmem.tokenizer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.fuzz.ByteMutations;
import dev.stepmem.fuzz.ParserProperty;
import dev.stepmem.model.load.CheckpointException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: a tokenizer.bin or tokenizer.json of any bytes is either refused with one
 * CheckpointException line naming the file, or loads into a tokenizer that encodes and decodes
 * text without an exception (the variants: seeded mutations of valid tiny vocabularies).
 */
class TokenizerParserPropertiesTest {
    @TempDir
    Path dir;

    private static final String TEXT = "hello world, héllo\n\t<s> 123";

    /** A llama2.c tokenizer.bin: max_token_length, then per token its score, length and bytes. */
    static byte[] tinyTokenizerBin() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.List<byte[]> pieces = new java.util.ArrayList<>();
        for (String s : new String[] {"<unk>", "\n<s>\n", "\n</s>\n"}) {
            pieces.add(s.getBytes(StandardCharsets.UTF_8));
        }
        for (int b = 0; b < 256; b++) {
            pieces.add(String.format("<0x%02X>", b).getBytes(StandardCharsets.UTF_8));
        }
        for (String s : TinyTokenizerJson.PIECES) {
            pieces.add(s.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(8);
        out.writeBytes(head.array());
        for (int i = 0; i < pieces.size(); i++) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(i >= 259 ? -i : 0)
                    .putInt(pieces.get(i).length);
            out.writeBytes(b.array());
            out.writeBytes(pieces.get(i));
        }
        return out.toByteArray();
    }

    @Test
    void anyTokenizerBinLoadsAndEncodesOrIsRefusedByName() throws Exception {
        byte[] valid = tinyTokenizerBin();
        int vocab = 259 + TinyTokenizerJson.PIECES.length;
        int refused = ParserProperty.holds(ByteMutations.of(valid, 400, 30), dir.resolve("tokenizer.bin"), f -> {
            Tokenizer t = Llama2cTokenizer.load(f, vocab);
            t.decode(t.encode(TEXT, true, false));
        }, CheckpointException.class);
        assertTrue(refused > 200, refused + " of 400 refused");
    }

    @Test
    void anyTokenizerJsonLoadsAndEncodesOrIsRefusedByName() throws Exception {
        byte[] valid = TinyTokenizerJson.JSON.writeValueAsBytes(TinyTokenizerJson.build(true, false));
        int refused = ParserProperty.holds(ByteMutations.of(valid, 300, 31), dir.resolve("tokenizer.json"), f -> {
            Tokenizer t = HfBpeTokenizer.load(f);
            t.decode(t.encode(TEXT, true, false));
        }, CheckpointException.class);
        assertTrue(refused > 100, refused + " of 300 refused");
    }
}
