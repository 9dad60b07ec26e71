package dev.stepmem.plots;

import java.nio.file.Path;
import java.util.List;

/** What a renderer gives: a figure (PNG + SVG) or a table (Markdown), written atomically beside {@code base}. */
public interface Rendered {
    /** Writes the files named {@code base} plus their extensions; returns their paths. */
    List<Path> save(Path base);
}
