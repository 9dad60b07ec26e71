package dev.stepmem.plots;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** A rendered table: Markdown text, written atomically to {@code base}.md. */
public record MarkdownTable(String text) implements Rendered {
    @Override
    public List<Path> save(Path base) {
        Path md = base.resolveSibling(base.getFileName() + ".md");
        dev.stepmem.io.AtomicFile.write(md, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        return List.of(md);
    }
}
