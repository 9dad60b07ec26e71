package dev.stepmem.tokenizer;

import dev.stepmem.model.load.CheckpointException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * llama2.c's tokenizer.bin and its encode(): dummy-prefix space, per-codepoint lookup with byte
 * fallback (id = byte + 3), then merge-by-highest-score. Ids match run.c; the merge loop is
 * the heap-based {@link BpeMerger} instead of run.c's quadratic rescans.
 *
 * <p>Pieces are handled as raw bytes (kept in Latin-1 strings, one char per byte, so a HashMap
 * lookup of a concatenation is a byte-exact lookup like run.c's strcmp). One deliberate
 * difference: byte tokens (ids 3..258) are never looked up as text nor merged, as in
 * SentencePiece. For the standard "&lt;0xNN&gt;" export this changes nothing; for the stories15M
 * export, which stores them as text, run.c would otherwise turn "Ã" into byte token 0xC3.
 * Ids then equal Hugging Face's on LLaMA-2 text, except that a literal "▁" in the input stays
 * a character here (HF reads it as a space).
 */
public final class Llama2cTokenizer implements Tokenizer {
    static final int BOS = 1;
    static final int EOS = 2;
    static final int BYTE_OFFSET = 3;
    /** run.c starts its best-score search at -1e10, so pieces scoring at or below it never merge. */
    static final float MIN_SCORE = -1e10f;

    private final byte[][] pieces;
    private final String[] latin1;
    private final float[] scores;
    private final int[] byteOf;
    private final Map<String, Integer> lookup;

    Llama2cTokenizer(byte[][] pieces, float[] scores) {
        this.pieces = pieces;
        this.scores = scores;
        this.latin1 = new String[pieces.length];
        this.byteOf = new int[pieces.length];
        this.lookup = new HashMap<>(pieces.length * 2);
        for (int i = 0; i < pieces.length; i++) {
            latin1[i] = new String(pieces[i], StandardCharsets.ISO_8859_1);
            byteOf[i] = byteTokenValue(i, pieces[i]);
            // Byte tokens stand for a byte, not for their text: this export stores byte 0xC3 as
            // the UTF-8 of U+00C3, which must not match the character "Ã" in the input.
            if (byteOf[i] < 0) {
                lookup.put(latin1[i], i);
            }
        }
    }

    /**
     * The byte a SentencePiece byte token (ids 3..258) stands for, or -1. Exports differ in how
     * they store it: "&lt;0xNN&gt;", the raw byte, or the UTF-8 of the Latin-1 character NN.
     */
    static int byteTokenValue(int id, byte[] p) {
        int b = id - BYTE_OFFSET;
        if (b < 0 || b > 255) {
            return -1;
        }
        if (byteToken(p) == b || (p.length == 1 && (p[0] & 0xFF) == b)
                || Arrays.equals(p, String.valueOf((char) b).getBytes(StandardCharsets.UTF_8))) {
            return b;
        }
        return -1;
    }

    /** Reads a llama2.c tokenizer.bin holding exactly {@code vocabSize} tokens. */
    public static Llama2cTokenizer load(Path tokenizerBin, int vocabSize) {
        String file = tokenizerBin.toString();
        if (vocabSize <= 0) {
            throw new CheckpointException(file, "vocab size must be positive, got " + vocabSize);
        }
        byte[] data;
        try {
            data = Files.readAllBytes(tokenizerBin);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
        }
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        byte[][] pieces = new byte[vocabSize][];
        float[] scores = new float[vocabSize];
        int i = 0;
        try {
            int maxLen = buf.getInt();
            if (maxLen < 0) {
                throw new CheckpointException(file, "negative max_token_length " + maxLen + ": not a llama2.c tokenizer.bin");
            }
            for (; i < vocabSize; i++) {
                scores[i] = buf.getFloat();
                int len = buf.getInt();
                if (len < 0) {
                    throw new CheckpointException(file, "token " + i + " has negative length " + len
                            + " at byte " + (buf.position() - 4) + ": corrupt or not a llama2.c tokenizer.bin");
                }
                if (len > buf.remaining()) {
                    throw new BufferUnderflowException();
                }
                pieces[i] = new byte[len];
                buf.get(pieces[i]);
            }
        } catch (BufferUnderflowException e) {
            throw new CheckpointException(file, "truncated: ends inside token " + i + " of " + vocabSize
                    + " (" + data.length + " bytes)");
        }
        if (buf.hasRemaining()) {
            throw new CheckpointException(file, buf.remaining() + " bytes left after " + vocabSize
                    + " tokens: the vocabulary size does not match this tokenizer");
        }
        return new Llama2cTokenizer(pieces, scores);
    }

    @Override
    public int[] encode(String text, boolean bos, boolean eos) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[utf8.length + 2];
        int n = 0;
        if (bos) {
            ids[n++] = BOS;
        }
        if (utf8.length > 0) {
            // SentencePiece's add_dummy_prefix: text starts as if preceded by a space.
            ids[n++] = lookup.getOrDefault(" ", ' ' + BYTE_OFFSET);
        }
        n = codepoints(utf8, ids, n);
        // BOS takes part in merging as in run.c; no piece starts with "\n<s>\n", so it never merges.
        int[] merged = BpeMerger.merge(Arrays.copyOf(ids, n), this::mergePair);
        if (!eos) {
            return merged;
        }
        int[] out = Arrays.copyOf(merged, merged.length + 1);
        out[merged.length] = EOS;
        return out;
    }

    /** run.c's codepoint loop: a lead byte plus up to 3 continuation bytes form one lookup. */
    private int codepoints(byte[] utf8, int[] out, int n) {
        int start = 0;
        while (start < utf8.length) {
            int end = start + 1;
            while (end < utf8.length && (utf8[end] & 0xC0) == 0x80 && end - start < 4) {
                end++;
            }
            Integer id = lookup.get(new String(utf8, start, end - start, StandardCharsets.ISO_8859_1));
            if (id != null) {
                out[n++] = id;
            } else {
                for (int k = start; k < end; k++) {
                    out[n++] = (utf8[k] & 0xFF) + BYTE_OFFSET;
                }
            }
            start = end;
        }
        return n;
    }

    /** Merge candidate for run.c: the concatenation must be a piece; higher score merges first. */
    long mergePair(int left, int right) {
        if (byteOf[left] >= 0 || byteOf[right] >= 0) {
            return BpeMerger.NONE; // SentencePiece never merges byte tokens; see the constructor
        }
        Integer id = lookup.get(latin1[left].concat(latin1[right]));
        if (id == null || !(scores[id] > MIN_SCORE)) {
            return BpeMerger.NONE;
        }
        return BpeMerger.pack(BpeMerger.rankOfScore(scores[id]), id);
    }

    @Override
    public byte[] tokenBytes(int prev, int id) {
        if (id == BOS || id == EOS) {
            return new byte[0];
        }
        if (byteOf[id] >= 0) {
            return new byte[]{(byte) byteOf[id]};
        }
        byte[] p = pieces[id];
        if (prev == BOS && p.length > 0 && p[0] == ' ') {
            return Arrays.copyOfRange(p, 1, p.length);
        }
        return p.clone();
    }

    /** The byte of a {@code <0xNN>} piece, or -1. */
    static int byteToken(byte[] p) {
        if (p.length == 6 && p[0] == '<' && p[1] == '0' && p[2] == 'x' && p[5] == '>') {
            int hi = Character.digit(p[3], 16);
            int lo = Character.digit(p[4], 16);
            if (hi >= 0 && lo >= 0) {
                return hi * 16 + lo;
            }
        }
        return -1;
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    @Override
    public int bos() {
        return BOS;
    }

    @Override
    public int eos() {
        return EOS;
    }

    @Override
    public String piece(int id) {
        if (byteOf[id] >= 0) {
            return String.format("<0x%02X>", byteOf[id]);
        }
        return new String(pieces[id], StandardCharsets.UTF_8);
    }

    /** Raw piece bytes and score, for tests and the naive reference. */
    byte[] rawPiece(int id) {
        return pieces[id];
    }

    boolean isByteToken(int id) {
        return byteOf[id] >= 0;
    }

    float score(int id) {
        return scores[id];
    }
}
