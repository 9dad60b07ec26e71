package dev.stepmem.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Text to token ids and back for a LLaMA-family model.
 *
 * <p>Decoding works on bytes because byte-fallback tokens ({@code <0xNN>}) can split one UTF-8
 * character over several tokens: {@link #decode(int[])} joins the bytes before turning them into
 * text, and {@link StreamDecoder} does the same incrementally for streamed output.
 */
public interface Tokenizer {

    /** Token ids for {@code text}, optionally preceded by {@link #bos()} and followed by {@link #eos()}. */
    int[] encode(String text, boolean bos, boolean eos);

    /**
     * The UTF-8 bytes token {@code id} contributes when it follows {@code prev}: byte tokens give
     * their byte, BOS/EOS and other special tokens give nothing, and the space of the dummy prefix
     * is dropped right after BOS (as llama2.c's decode does).
     */
    byte[] tokenBytes(int prev, int id);

    /**
     * Text of one token after {@code prev}, like llama2.c's decode. Stateless, so a byte token
     * holding part of a multi-byte character comes out as U+FFFD; stream with {@link StreamDecoder}.
     */
    default String decodeToken(int prev, int id) {
        return new String(tokenBytes(prev, id), StandardCharsets.UTF_8);
    }

    /**
     * Text of a whole sequence. Its start counts as "after BOS", so
     * {@code decode(encode(s, false, false))} and {@code decode(encode(s, true, false))} both give back s.
     */
    default String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prev = bos();
        for (int id : ids) {
            out.writeBytes(tokenBytes(prev, id));
            prev = id;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    int vocabSize();

    /** Beginning-of-sequence id, or -1 if the vocabulary has none. */
    int bos();

    /** End-of-sequence id, or -1 if the vocabulary has none. */
    int eos();

    /** The vocabulary entry for {@code id} as text; single-byte tokens are shown as {@code <0xNN>}. */
    String piece(int id);
}
