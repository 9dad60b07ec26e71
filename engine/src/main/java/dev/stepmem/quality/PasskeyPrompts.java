package dev.stepmem.quality;

import dev.stepmem.tokenizer.Tokenizer;
import java.util.SplittableRandom;

/**
 * The passkey retrieval prompt of Mohtashami and Jaggi ("Landmark Attention", 2023), the usual
 * needle-in-a-haystack test of long-context memory: an instruction, a filler text repeated to the
 * length wanted, the needle "The pass key is K. Remember it. K is the pass key." at a chosen
 * depth of the filler, and the question "What is the pass key? The pass key is" at the end.
 *
 * <p>Built from token pieces, each piece encoded on its own and concatenated, so the prompt has
 * exactly the requested length and the needle's tokens appear verbatim. Pieces are joined by a
 * space: the tokenizer's own dummy-prefix space (SentencePiece, LLaMA-2) or, for tokenizers without
 * one, a leading space in the piece's text. The filler is whole
 * repetitions of its sentence, cut at the end; the needle goes in at the repetition boundary (or
 * the filler's end) nearest {@code depth x filler tokens}. The key is {@link #KEY_DIGITS} random
 * digits from the seed.
 */
public final class PasskeyPrompts {
    public static final String INSTRUCTION = "There is an important info hidden inside a lot of irrelevant text. "
            + "Find it and memorize them. I will quiz you about the important information there.";
    public static final String FILLER = "The grass is green. The sky is blue. The sun is yellow. Here we go. "
            + "There and back again.";
    /** The needle's words before the key; a model (or a copying stub) finds the key after them. */
    public static final String NEEDLE_BEFORE_KEY = "The pass key is";
    public static final String QUESTION = "What is the pass key? The pass key is";
    public static final int KEY_DIGITS = 5;

    private PasskeyPrompts() {}

    /**
     * @param length tokens in the prompt, BOS included
     * @param depth  where the needle goes, in [0, 1]
     * @param seed   picks the key
     * @throws IllegalArgumentException for a depth outside [0, 1] or a length too short for the
     *                                  instruction, needle and question (the message says how short)
     */
    public static PasskeyPrompt build(Tokenizer tokenizer, int length, double depth, long seed) {
        if (!(depth >= 0 && depth <= 1)) {
            throw new IllegalArgumentException("passkey depth must be in [0, 1], got " + depth);
        }
        String key = key(seed);
        String space = addsPrefixSpace(tokenizer) ? "" : " ";
        int[] instruction = tokenizer.encode(INSTRUCTION, true, false);
        int[] needleBefore = tokenizer.encode(space + NEEDLE_BEFORE_KEY, false, false);
        int[] keyPiece = tokenizer.encode(space + key + ". Remember it. " + key + " is the pass key.", false, false);
        int[] question = tokenizer.encode(space + QUESTION, false, false);
        int[] filler = tokenizer.encode(space + FILLER, false, false);
        int fixed = instruction.length + needleBefore.length + keyPiece.length + question.length;
        int fillerTokens = length - fixed;
        if (fillerTokens < 0) {
            throw new IllegalArgumentException("a passkey prompt of " + length + " tokens is too short: the instruction, "
                    + "needle and question alone take " + fixed + " tokens with this tokenizer");
        }
        int insertAt = insertionPoint(depth * fillerTokens, fillerTokens, filler.length);
        int[] out = new int[length];
        int at = put(out, 0, instruction);
        at = putFiller(out, at, filler, insertAt);
        at = put(out, at, needleBefore);
        int keyFrom = at;
        at = put(out, at, keyPiece);
        at = putFiller(out, at, filler, fillerTokens - insertAt);
        at = put(out, at, question);
        if (at != length) {
            throw new IllegalStateException("passkey prompt assembled " + at + " tokens for " + length);
        }
        return new PasskeyPrompt(out, key, depth, keyFrom);
    }

    /** The filler boundary nearest {@code target}: a multiple of the filler's length, or the filler's end. */
    private static int insertionPoint(double target, int fillerTokens, int unit) {
        long boundary = Math.round(target / unit) * (long) unit;
        if (boundary > fillerTokens || fillerTokens - target < Math.abs(boundary - target)) {
            return fillerTokens;
        }
        return (int) boundary;
    }

    /** Whether encoding a piece starts it with a space of its own (SentencePiece's dummy prefix). */
    private static boolean addsPrefixSpace(Tokenizer tokenizer) {
        int[] a = tokenizer.encode("a", false, false), b = tokenizer.encode("b", false, false);
        int[] ab = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, ab, a.length, b.length);
        return tokenizer.decode(ab).equals("a b");
    }

    /** KEY_DIGITS digits, the first not 0 (so the key reads as a number). */
    static String key(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder key = new StringBuilder().append(1 + r.nextInt(9));
        for (int i = 1; i < KEY_DIGITS; i++) {
            key.append(r.nextInt(10));
        }
        return key.toString();
    }

    /**
     * Exact match: the first run of digits in the answer is the key (leading spaces, a following
     * "." or more words do not matter; a longer or shorter number does).
     */
    public static boolean exactMatch(String answer, String key) {
        int i = 0;
        while (i < answer.length() && !Character.isDigit(answer.charAt(i))) {
            i++;
        }
        int j = i;
        while (j < answer.length() && Character.isDigit(answer.charAt(j))) {
            j++;
        }
        return j > i && answer.substring(i, j).equals(key);
    }

    private static int put(int[] out, int at, int[] piece) {
        System.arraycopy(piece, 0, out, at, piece.length);
        return at + piece.length;
    }

    private static int putFiller(int[] out, int at, int[] filler, int tokens) {
        for (int done = 0; done < tokens; done += filler.length) {
            int n = Math.min(filler.length, tokens - done);
            System.arraycopy(filler, 0, out, at + done, n);
        }
        return at + tokens;
    }
}
