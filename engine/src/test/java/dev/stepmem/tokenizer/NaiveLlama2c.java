package dev.stepmem.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A line-by-line port of llama2.c run.c encode() (quadratic merge loop), the reference for the
 * fast one. Like the tokenizer under test, byte tokens are left out of the lookup and never merge
 * (needed for exports that store them as text; a no-op for the standard "&lt;0xNN&gt;" pieces).
 */
final class NaiveLlama2c {
    private final Llama2cTokenizer t;
    private final Map<String, Integer> lookup = new HashMap<>();

    NaiveLlama2c(Llama2cTokenizer t) {
        this.t = t;
        for (int i = 0; i < t.vocabSize(); i++) {
            if (t.isByteToken(i)) {
                continue;
            }
            lookup.put(new String(t.rawPiece(i), StandardCharsets.ISO_8859_1), i);
        }
    }

    private int strLookup(String s) {
        return lookup.getOrDefault(s, -1);
    }

    private String str(int id) {
        return new String(t.rawPiece(id), StandardCharsets.ISO_8859_1);
    }

    int[] encode(String text, boolean bos, boolean eos) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        List<Integer> tokens = new ArrayList<>();
        if (bos) {
            tokens.add(1);
        }
        if (utf8.length > 0) {
            tokens.add(strLookup(" "));
        }
        StringBuilder buf = new StringBuilder();
        for (int c = 0; c < utf8.length; c++) {
            if ((utf8[c] & 0xC0) != 0x80) {
                buf.setLength(0);
            }
            buf.append((char) (utf8[c] & 0xFF));
            if (c + 1 < utf8.length && (utf8[c + 1] & 0xC0) == 0x80 && buf.length() < 4) {
                continue;
            }
            int id = strLookup(buf.toString());
            if (id != -1) {
                tokens.add(id);
            } else {
                for (int i = 0; i < buf.length(); i++) {
                    tokens.add(buf.charAt(i) + 3);
                }
            }
            buf.setLength(0);
        }
        while (true) {
            float bestScore = -1e10f;
            int bestId = -1;
            int bestIdx = -1;
            for (int i = 0; i < tokens.size() - 1; i++) {
                if (t.isByteToken(tokens.get(i)) || t.isByteToken(tokens.get(i + 1))) {
                    continue;
                }
                int id = strLookup(str(tokens.get(i)) + str(tokens.get(i + 1)));
                if (id != -1 && t.score(id) > bestScore) {
                    bestScore = t.score(id);
                    bestId = id;
                    bestIdx = i;
                }
            }
            if (bestIdx == -1) {
                break;
            }
            tokens.set(bestIdx, bestId);
            tokens.remove(bestIdx + 1);
        }
        if (eos) {
            tokens.add(2);
        }
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }
}
