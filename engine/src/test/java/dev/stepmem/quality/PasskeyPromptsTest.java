package dev.stepmem.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.tokenizer.Llama2cTokenizer;
import dev.stepmem.tokenizer.Tokenizer;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The passkey prompt: exact length, the needle at the depth asked, seeded keys, exact-match scoring. */
class PasskeyPromptsTest {
    static Tokenizer tok;

    @BeforeAll
    static void loadTokenizer() {
        tok = Llama2cTokenizer.load(Stories15m.ensureTokenizer(), 32000);
    }

    @Test
    void hasTheLengthAskedWithTheNeedleInsideAndTheQuestionLast() {
        PasskeyPrompt p = PasskeyPrompts.build(tok, 500, 0.5, 7);
        int[] t = p.tokens();
        assertEquals(500, t.length);
        assertEquals(tok.bos(), t[0]);
        int[] question = tok.encode(PasskeyPrompts.QUESTION, false, false); // with its dummy-prefix space
        assertArrayEquals(question, Arrays.copyOfRange(t, 500 - question.length, 500), "the question is last");
        String text = tok.decode(t);
        assertTrue(text.contains("The pass key is " + p.key() + ". Remember it. " + p.key() + " is the pass key."), text);
        assertTrue(text.startsWith(PasskeyPrompts.INSTRUCTION), text);
        assertEquals(PasskeyPrompts.KEY_DIGITS, p.key().length());
    }

    @Test
    void theDepthMovesTheNeedleFromTheStartToTheQuestion() {
        PasskeyPrompt first = PasskeyPrompts.build(tok, 600, 0.0, 1);
        PasskeyPrompt middle = PasskeyPrompts.build(tok, 600, 0.5, 1);
        PasskeyPrompt last = PasskeyPrompts.build(tok, 600, 1.0, 1);
        assertEquals(PasskeyPrompts.INSTRUCTION + " " + PasskeyPrompts.NEEDLE_BEFORE_KEY,
                tok.decode(Arrays.copyOf(first.tokens(), first.keyFrom())), "depth 0: right after the instruction");
        assertTrue(first.keyFrom() < middle.keyFrom() && middle.keyFrom() < last.keyFrom());
        assertTrue(Math.abs(middle.keyFrom() / 600.0 - 0.5) < 0.1, "depth 0.5 lands near the middle: " + middle.keyFrom());
        assertEquals(last.key() + ". Remember it. " + last.key() + " is the pass key. " + PasskeyPrompts.QUESTION,
                tok.decode(Arrays.copyOfRange(last.tokens(), last.keyFrom(), 600)), "depth 1: right before the question");
    }

    @Test
    void theSeedPicksTheKey() {
        assertEquals(PasskeyPrompts.build(tok, 300, 0.3, 5).key(), PasskeyPrompts.build(tok, 300, 0.3, 5).key());
        assertFalse(PasskeyPrompts.key(5).equals(PasskeyPrompts.key(6)) && PasskeyPrompts.key(6).equals(PasskeyPrompts.key(7)));
        assertTrue(PasskeyPrompts.key(3).matches("[1-9][0-9]{4}"));
    }

    @Test
    void refusesWhatCannotBeBuilt() {
        var depth = assertThrows(IllegalArgumentException.class, () -> PasskeyPrompts.build(tok, 300, 1.5, 1));
        assertEquals("passkey depth must be in [0, 1], got 1.5", depth.getMessage());
        var shortPrompt = assertThrows(IllegalArgumentException.class, () -> PasskeyPrompts.build(tok, 40, 0.5, 1));
        assertTrue(shortPrompt.getMessage().startsWith("a passkey prompt of 40 tokens is too short"), shortPrompt.getMessage());
    }

    @Test
    void exactMatchReadsTheFirstNumber() {
        assertTrue(PasskeyPrompts.exactMatch(" 40712. Remember", "40712"));
        assertTrue(PasskeyPrompts.exactMatch("40712", "40712"));
        assertFalse(PasskeyPrompts.exactMatch(" 4071", "40712"), "too short");
        assertFalse(PasskeyPrompts.exactMatch(" 407123", "40712"), "too long");
        assertFalse(PasskeyPrompts.exactMatch(" the pass key", "40712"), "no number");
        assertFalse(PasskeyPrompts.exactMatch(" 1 40712", "40712"), "the first number counts");
    }
}
