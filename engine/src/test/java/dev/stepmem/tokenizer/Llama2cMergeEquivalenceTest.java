package dev.stepmem.tokenizer;

import dev.stepmem.assets.Stories15m;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The heap-based merge must pick exactly what run.c's quadratic loop picks. */
class Llama2cMergeEquivalenceTest {
    static final String[] ATOMS = {"a", "e", "t", "h", "the", "ing", " ", "  ", "\n", "\t", ".", ",", "!", "'",
            "é", "ü", "ß", "東", "京", "的", "😀", "🦙", "\u0301", "0", "7", "Lily", "upon", "<0x0A>", "\u2581"};

    @Test
    void realVocabularyOnRandomStrings() {
        Llama2cTokenizer tok = Llama2cTokenizer.load(Stories15m.ensureTokenizer(), 32000);
        NaiveLlama2c naive = new NaiveLlama2c(tok);
        Random rnd = new Random(7);
        for (int trial = 0; trial < 400; trial++) {
            String s = randomText(rnd, tok, rnd.nextInt(120));
            boolean bos = rnd.nextBoolean();
            assertArrayEquals(naive.encode(s, bos, false), tok.encode(s, bos, false), s);
        }
    }

    /** A vocabulary where most merges tie in score, to exercise the leftmost-wins rule. */
    @Test
    void tieHeavyVocabulary() {
        String[] extra = {" ", "a", "b", "ab", "ba", "aa", "bb", "aba", "bab", "abab", " a", " b", "  ", "a ", "b a", "aab", "bba"};
        byte[][] pieces = new byte[259 + extra.length][];
        float[] scores = new float[pieces.length];
        pieces[0] = "<unk>".getBytes(StandardCharsets.UTF_8);
        pieces[1] = "\n<s>\n".getBytes(StandardCharsets.UTF_8);
        pieces[2] = "\n</s>\n".getBytes(StandardCharsets.UTF_8);
        for (int b = 0; b < 256; b++) {
            pieces[3 + b] = new byte[]{(byte) b};
        }
        Random rnd = new Random(11);
        for (int i = 0; i < extra.length; i++) {
            pieces[259 + i] = extra[i].getBytes(StandardCharsets.UTF_8);
            scores[259 + i] = -rnd.nextInt(3); // only three distinct scores: lots of ties
        }
        scores[259 + 6] = -1e10f; // "bb" sits at run.c's threshold: must never merge
        Llama2cTokenizer tok = new Llama2cTokenizer(pieces, scores);
        NaiveLlama2c naive = new NaiveLlama2c(tok);
        for (int trial = 0; trial < 2000; trial++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(40);
            for (int i = 0; i < n; i++) {
                sb.append("ab ".charAt(rnd.nextInt(3)));
            }
            String s = sb.toString();
            assertArrayEquals(naive.encode(s, true, true), tok.encode(s, true, true), () -> "'" + s + "' "
                    + Arrays.toString(naive.encode(s, true, true)));
        }
    }

    static String randomText(Random rnd, Llama2cTokenizer tok, int atoms) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < atoms; i++) {
            if (rnd.nextInt(3) == 0) {
                // a random vocabulary piece: makes long merge chains likely
                sb.append(new String(tok.rawPiece(259 + rnd.nextInt(tok.vocabSize() - 259)), StandardCharsets.UTF_8));
            } else {
                sb.append(ATOMS[rnd.nextInt(ATOMS.length)]);
            }
        }
        return sb.toString();
    }
}
