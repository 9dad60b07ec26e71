package dev.stepmem.datasets.build;

import java.nio.charset.StandardCharsets;

/**
 * One file as it appears inside a document: the separator line naming it, its text, a final
 * newline if it had none, and one blank line.
 *
 * @param path  the file's path within its source
 * @param text  the separator, the text and the trailing newlines
 * @param bytes UTF-8 length of {@code text}
 */
record Piece(String path, String text, long bytes) {
    /** The header before each file; like `head` prints several files. */
    static final String SEPARATOR = "==> PATH <==\n";

    static Piece of(String path, String content) {
        StringBuilder sb = new StringBuilder(content.length() + path.length() + 16);
        sb.append(SEPARATOR.replace("PATH", path)).append(content);
        if (!content.endsWith("\n")) {
            sb.append('\n');
        }
        sb.append('\n');
        String text = sb.toString();
        return new Piece(path, text, text.getBytes(StandardCharsets.UTF_8).length);
    }
}
