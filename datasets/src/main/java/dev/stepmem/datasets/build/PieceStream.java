package dev.stepmem.datasets.build;

import dev.stepmem.datasets.DatasetException;
import dev.stepmem.datasets.sources.SourceEntry;
import dev.stepmem.datasets.sources.TextSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A source's files as pieces, in order, with the byte offset of the next one in the source's
 * stream. Files that are not text are skipped (invalid UTF-8, a NUL byte, or only whitespace):
 * binary test data exists in every source tree and is not what the corpora measure.
 */
final class PieceStream {
    private final String sourceId;
    private final List<SourceEntry> entries;
    private final Deque<Piece> pushedBack = new ArrayDeque<>();
    private int next;
    private long offset;

    PieceStream(String sourceId, TextSource.Listing listing) {
        this.sourceId = sourceId;
        this.entries = listing.entries();
    }

    String sourceId() {
        return sourceId;
    }

    /** Stream offset of the next piece. */
    long offset() {
        return offset;
    }

    /** The next piece, or null at the end. */
    Piece take() {
        Piece p = pushedBack.pollFirst();
        while (p == null && next < entries.size()) {
            SourceEntry e = entries.get(next++);
            String text = readText(e);
            if (text != null) {
                p = Piece.of(e.path(), text);
            }
        }
        if (p != null) {
            offset += p.bytes();
        }
        return p;
    }

    /** Gives back pieces taken last, in their original order, for the next document. */
    void giveBack(List<Piece> pieces) {
        for (int i = pieces.size() - 1; i >= 0; i--) {
            pushedBack.addFirst(pieces.get(i));
            offset -= pieces.get(i).bytes();
        }
    }

    private String readText(SourceEntry e) {
        byte[] raw;
        try {
            raw = e.read();
        } catch (IOException ex) {
            throw new DatasetException("cannot read " + e.path() + " of source " + sourceId + ": " + ex.getMessage()
                    + " (a damaged package? delete its folder under packages/trees and re-run)", ex);
        }
        for (byte b : raw) {
            if (b == 0) {
                return null;
            }
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            return s.isBlank() ? null : s;
        } catch (CharacterCodingException ex) {
            return null;
        }
    }
}
