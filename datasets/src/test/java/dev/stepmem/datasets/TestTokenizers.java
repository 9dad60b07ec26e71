package dev.stepmem.datasets;

import dev.stepmem.datasets.build.NamedTokenizer;
import dev.stepmem.datasets.manifest.TokenizerInfo;
import dev.stepmem.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizers that need no download: one token per UTF-8 byte (decodable), and one token per
 * whitespace-delimited word (counts only), so "every tokenizer" rules are exercised with two
 * tokenizers that disagree.
 */
public final class TestTokenizers {
    private TestTokenizers() {
    }

    public static final NamedTokenizer BYTES = new NamedTokenizer("bytes",
            new TokenizerInfo("one token per byte", "0".repeat(64)), new ByteTokenizer());
    public static final NamedTokenizer WORDS = new NamedTokenizer("words",
            new TokenizerInfo("one token per word", "1".repeat(64)), new WordTokenizer());

    public static List<NamedTokenizer> both() {
        return List.of(BYTES, WORDS);
    }

    /** Byte b is id b + 3; BOS 1, EOS 2. */
    static final class ByteTokenizer implements Tokenizer {
        @Override
        public int[] encode(String text, boolean bos, boolean eos) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            int[] ids = new int[b.length + (bos ? 1 : 0) + (eos ? 1 : 0)];
            int n = 0;
            if (bos) {
                ids[n++] = 1;
            }
            for (byte x : b) {
                ids[n++] = (x & 0xFF) + 3;
            }
            if (eos) {
                ids[n] = 2;
            }
            return ids;
        }

        @Override
        public byte[] tokenBytes(int prev, int id) {
            return id < 3 ? new byte[0] : new byte[]{(byte) (id - 3)};
        }

        @Override
        public int vocabSize() {
            return 259;
        }

        @Override
        public int bos() {
            return 1;
        }

        @Override
        public int eos() {
            return 2;
        }

        @Override
        public String piece(int id) {
            return String.format("<0x%02X>", id - 3);
        }
    }

    /** Each run of non-space characters is one token (id 3); decoding is not supported. */
    static final class WordTokenizer implements Tokenizer {
        @Override
        public int[] encode(String text, boolean bos, boolean eos) {
            List<Integer> ids = new ArrayList<>();
            if (bos) {
                ids.add(1);
            }
            for (String w : text.split("\\s+")) {
                if (!w.isEmpty()) {
                    ids.add(3);
                }
            }
            if (eos) {
                ids.add(2);
            }
            return ids.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public byte[] tokenBytes(int prev, int id) {
            throw new UnsupportedOperationException("counting only");
        }

        @Override
        public int vocabSize() {
            return 4;
        }

        @Override
        public int bos() {
            return 1;
        }

        @Override
        public int eos() {
            return 2;
        }

        @Override
        public String piece(int id) {
            return "w";
        }
    }
}
