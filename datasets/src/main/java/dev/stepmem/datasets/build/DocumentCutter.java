package dev.stepmem.datasets.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Takes whole files from a source until the text has at least {@code target} tokens under every
 * tokenizer. Counts are always of the whole document text (BPE merges do not add up across
 * pieces), so it guesses how many bytes are needed, counts, and adds more while short.
 */
final class DocumentCutter {
    /** What one document is made of. */
    record Cut(long start, long end, List<String> files, String text, Map<String, Integer> tokens) {
    }

    private final List<NamedTokenizer> tokenizers;

    DocumentCutter(List<NamedTokenizer> tokenizers) {
        this.tokenizers = tokenizers;
    }

    /** The next document of at least {@code target} tokens, or null if the source runs out first. */
    Cut cut(PieceStream stream, int target) {
        long start = stream.offset();
        List<Piece> pieces = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        // Every tokenizer here needs at least ~2 bytes per token on real text; guess low, then grow.
        long wantBytes = 2L * target;
        long bytes = 0;
        while (true) {
            while (bytes < wantBytes) {
                Piece p = stream.take();
                if (p == null) {
                    break;
                }
                pieces.add(p);
                text.append(p.text());
                bytes += p.bytes();
            }
            if (pieces.isEmpty()) {
                return null;
            }
            Map<String, Integer> tokens = count(text.toString());
            int min = tokens.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
            if (min >= target) {
                return new Cut(start, stream.offset(), pieces.stream().map(Piece::path).toList(), text.toString(), tokens);
            }
            if (bytes < wantBytes) {
                return null; // the source ended before the document was long enough
            }
            double bytesPerToken = (double) bytes / Math.max(1, min);
            wantBytes = bytes + (long) Math.ceil((target - min) * bytesPerToken * 1.05) + 1;
        }
    }

    /**
     * Takes exactly the files a known document was made of (to resume without re-tokenizing), or
     * returns null with nothing taken if the source no longer starts with them here.
     */
    List<Piece> replay(PieceStream stream, List<String> files) {
        List<Piece> taken = new ArrayList<>();
        for (String f : files) {
            Piece p = stream.take();
            if (p != null) {
                taken.add(p);
            }
            if (p == null || !p.path().equals(f)) {
                stream.giveBack(taken);
                return null;
            }
        }
        return taken;
    }

    Map<String, Integer> count(String text) {
        Map<String, Integer> out = new TreeMap<>();
        // Two tokenizers, two cores: count them side by side.
        tokenizers.parallelStream().map(t -> Map.entry(t.name(), t.count(text)))
                .toList().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
