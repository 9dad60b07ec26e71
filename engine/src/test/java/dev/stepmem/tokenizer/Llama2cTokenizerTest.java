package dev.stepmem.tokenizer;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.model.load.CheckpointException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Llama2cTokenizerTest {
    static Llama2cTokenizer tok;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        tok = Llama2cTokenizer.load(Stories15m.ensureTokenizer(), 32000);
    }

    @Test
    void knownIds() {
        assertArrayEquals(new int[]{15043, 3186, 29991}, tok.encode("Hello world!", false, false));
        assertArrayEquals(new int[]{1, 15043, 3186, 29991, 2}, tok.encode("Hello world!", true, true));
        // Digits never merge with the dummy space, so it stays the lone "▁" (29871).
        assertEquals(29871, tok.encode("1", false, false)[0]);
        assertEquals(" ", tok.piece(29871));
        assertArrayEquals(new int[0], tok.encode("", false, false));
        assertArrayEquals(new int[]{1}, tok.encode("", true, false));
        assertEquals(" Hello", tok.piece(15043));
        assertEquals("<0x0A>", tok.piece(13));
        assertEquals(32000, tok.vocabSize());
    }

    /** Ids recorded from llama-tokenizer-js 1.2.2 under node (an independent LLaMA-2 implementation). */
    @Test
    void matchesLlamaTokenizerJsGoldenIds() {
        assertArrayEquals(new int[]{315, 28059, 20737, 18679, 813, 1055, 30085, 345, 11260, 865, 25961, 29936, 953,
                        29877, 2397, 29871, 243, 162, 155, 131, 243, 162, 169, 156, 29892, 8162, 1678, 322, 12, 21175,
                        29889, 13, 13, 4373, 1702},
                tok.encode("Café déjà vu — naïve Ångström; emoji 😀🦙, spaces    and\ttabs.\n\nNew para", false, false));
        assertArrayEquals(new int[]{822, 285, 29898, 29916, 1125, 13, 1678, 736, 921, 3579, 29871, 29906, 13},
                tok.encode("def f(x):\n    return x ** 2\n", false, false));
        assertArrayEquals(new int[]{29871, 30979, 30675, 30392, 30325, 30346, 30210, 31688, 30769, 30267, 30919, 31076,
                30214, 30793, 30967, 30584}, tok.encode("东京是日本的首都。你好，世界！", false, false));
        assertArrayEquals(new int[]{29871, 30179, 29871, 30189, 29871, 30340}, tok.encode("Ã ð þ", false, false));
    }

    @Test
    void decodeTokenStripsTheDummySpaceOnlyAfterBos() {
        assertEquals("Hello", tok.decodeToken(1, 15043));
        assertEquals(" world", tok.decodeToken(15043, 3186));
        assertEquals("", tok.decodeToken(15043, 2));
        assertEquals("\n", tok.decodeToken(15043, 13));
    }

    @Test
    void roundTrips() {
        for (String s : new String[]{
                "Once upon a time, there was a little girl named Lily.",
                "Café naïve façade — déjà vu, Ångström, Straße.",
                "東京は日本の首都です。中文测试，你好世界！",
                "emoji 😀🎉🦙 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 with byte fallback",
                "  leading spaces,\ttabs,   runs   of   spaces\n\nand\r\nnewlines \n",
                " ", "\n", "a", "!!", "<s> not special </s>"}) {
            assertEquals(s, tok.decode(tok.encode(s, false, false)), s);
            assertEquals(s, tok.decode(tok.encode(s, true, true)), s);
            assertEquals(s, streamed(tok, tok.encode(s, true, false)), s);
        }
    }

    @Test
    void emojiUsesByteTokensAndStreamsWhole() {
        int[] ids = tok.encode("🦙", false, false);
        assertTrue(Arrays.stream(ids).anyMatch(id -> id >= 3 && id < 259), Arrays.toString(ids));
        assertEquals("🦙", streamed(tok, ids));
    }

    static String streamed(Tokenizer t, int[] ids) {
        StreamDecoder d = new StreamDecoder(t);
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            String s = d.next(id);
            assertTrue(s.indexOf('\uFFFD') < 0, "streamed a broken character: " + s);
            sb.append(s);
        }
        return sb.append(d.finish()).toString();
    }

    @Test
    void megabyteEncodesInSeconds() {
        StringBuilder sb = new StringBuilder();
        String para = "The little dog ran across the yard, barking at the birds. Élodie said: «bonjour» 😀 — 東京.\n";
        int cps = para.codePointCount(0, para.length());
        for (int i = 0; sb.length() < 1_000_000; i++) {
            // Cut at code points: a lone surrogate cannot be encoded and would not round-trip.
            sb.append(para, 0, para.offsetByCodePoints(0, 20 + i % (cps - 20))).append(i % 7 == 0 ? "   " : " ");
        }
        String text = sb.toString();
        long t0 = System.nanoTime();
        int[] ids = tok.encode(text, true, false);
        double secs = (System.nanoTime() - t0) / 1e9;
        assertTrue(secs < 20, "1 MB took " + secs + " s");
        assertEquals(text, tok.decode(ids));
    }

    @Test
    void badFilesNameTheFile() throws Exception {
        Path good = Stories15m.ensureTokenizer();
        byte[] all = Files.readAllBytes(good);

        Path truncated = Files.write(dir.resolve("truncated.bin"), Arrays.copyOf(all, all.length - 100));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Llama2cTokenizer.load(truncated, 32000));
        assertTrue(e.getMessage().startsWith(truncated.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        ByteBuffer b = ByteBuffer.allocate(4 + 8).order(ByteOrder.LITTLE_ENDIAN).putInt(10).putFloat(0f).putInt(-5);
        Path negative = Files.write(dir.resolve("negative.bin"), b.array());
        e = assertThrows(CheckpointException.class, () -> Llama2cTokenizer.load(negative, 1));
        assertTrue(e.getMessage().startsWith(negative.toString()) && e.getMessage().contains("negative length"), e.getMessage());

        e = assertThrows(CheckpointException.class, () -> Llama2cTokenizer.load(good, 31000));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> Llama2cTokenizer.load(good, 32001));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
