package dev.stepmem.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a stream of token ids into text as it arrives, holding back the bytes of a UTF-8
 * character that byte-fallback tokens have only partly delivered (emoji, rare CJK).
 * The concatenated output equals {@link Tokenizer#decode(int[])} of the same ids.
 */
public final class StreamDecoder {
    private final Tokenizer tokenizer;
    private int prev;
    private byte[] pending = new byte[0];

    public StreamDecoder(Tokenizer tokenizer) {
        this(tokenizer, tokenizer.bos());
    }

    /** Continues after token {@code prev} (e.g. the prompt's last token when streaming a generation). */
    public StreamDecoder(Tokenizer tokenizer, int prev) {
        this.tokenizer = tokenizer;
        this.prev = prev;
    }

    /** Text that became complete with token {@code id} (may be empty). */
    public String next(int id) {
        byte[] b = tokenizer.tokenBytes(prev, id);
        prev = id;
        byte[] all = Arrays.copyOf(pending, pending.length + b.length);
        System.arraycopy(b, 0, all, pending.length, b.length);
        int cut = completePrefix(all);
        pending = Arrays.copyOfRange(all, cut, all.length);
        return new String(all, 0, cut, StandardCharsets.UTF_8);
    }

    /** Whatever is still held back (an incomplete character becomes U+FFFD). */
    public String finish() {
        String s = new String(pending, StandardCharsets.UTF_8);
        pending = new byte[0];
        return s;
    }

    /** Length of the prefix that does not end inside a multi-byte character. */
    static int completePrefix(byte[] b) {
        int n = b.length;
        // A character is at most 4 bytes, so only the last 3 can belong to an unfinished one.
        for (int k = n - 1; k >= Math.max(0, n - 3); k--) {
            int c = b[k] & 0xFF;
            if ((c & 0xC0) == 0x80) {
                continue; // continuation byte: keep looking for its lead byte
            }
            int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            return n - k < need ? k : n;
        }
        return n;
    }
}
