package dev.stepmem.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamDecoderTest {
    @Test
    void holdsBackOnlyUnfinishedCharacters() {
        byte[] emoji = "a😀".getBytes(StandardCharsets.UTF_8); // 1 + 4 bytes
        for (int cut = 1; cut <= emoji.length; cut++) {
            byte[] prefix = java.util.Arrays.copyOf(emoji, cut);
            assertEquals(cut == emoji.length ? emoji.length : 1, StreamDecoder.completePrefix(prefix), "cut " + cut);
        }
        assertEquals(2, StreamDecoder.completePrefix("é".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, StreamDecoder.completePrefix(new byte[0]));
    }
}
