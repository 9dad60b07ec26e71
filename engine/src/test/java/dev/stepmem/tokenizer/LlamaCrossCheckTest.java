package dev.stepmem.tokenizer;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.assets.Tokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two independent LLaMA-2 tokenizers must agree: llama2.c's score-based BPE on tokenizer.bin and
 * Hugging Face rank-based BPE on the vocab/merges of llama-tokenizer-js (npm, fetched into
 * the asset cache on first use).
 */
class LlamaCrossCheckTest {
    static final String[] PARAGRAPHS = {
            "Once upon a time, there was a little girl named Lily. She loved to play outside in the sunshine.",
            "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be "
                    + "in want of a wife.\n\nHowever little known the feelings or views of such a man may be on his "
                    + "first entering a neighbourhood, this truth is so well fixed in the minds of the surrounding "
                    + "families, that he is considered the rightful property of some one or other of their daughters.",
            "In the beginning God created the heaven and the earth. And the earth was without form, and void; "
                    + "and darkness was upon the face of the deep.",
            "Call me Ishmael. Some years ago—never mind how long precisely—having little or no money in my purse, "
                    + "and nothing particular to interest me on shore, I thought I would sail about a little.",
            "func main() {\n\tfmt.Println(\"Hello, 世界\") // 42 apples, 3.14 pies\n}\n",
            "\\begin{theorem} Let $f: X \\to Y$ be continuous. Then $f^{-1}(U)$ is open.\\end{theorem}",
            "Café déjà vu — naïve Ångström; emoji 😀🦙, spaces    and\ttabs.",
    };

    @TempDir
    Path dir;

    @Test
    void llama2cAndHfAgreeOnEnglish() throws Exception {
        Path js = Tokenizers.ensureLlamaTokenizerJs();
        HfBpeTokenizer hf = HfBpeTokenizer.load(LlamaTokenizerJs.toTokenizerJson(js, dir.resolve("llama2.json")));
        Llama2cTokenizer l2c = Llama2cTokenizer.load(Stories15m.ensureTokenizer(), 32000);
        assertEquals(32000, hf.vocabSize());
        assertArrayEquals(new int[]{15043, 3186, 29991}, hf.encode("Hello world!", false, false));
        for (String p : PARAGRAPHS) {
            assertArrayEquals(l2c.encode(p, true, false), hf.encode(p, true, false), p);
            assertEquals(p, hf.decode(hf.encode(p, true, false)));
        }
        // Random mixes of pieces, whitespace runs, accents, CJK and emoji. A literal "▁" in the input
        // is left out: Hugging Face reads it as a space, llama2.c (whose pieces hold real spaces) does not.
        Random rnd = new Random(3);
        for (int trial = 0; trial < 1000; trial++) {
            String s = Llama2cMergeEquivalenceTest.randomText(rnd, l2c, rnd.nextInt(60)).replace("\u2581", "");
            assertArrayEquals(l2c.encode(s, true, false), hf.encode(s, true, false), s);
        }
    }
}
