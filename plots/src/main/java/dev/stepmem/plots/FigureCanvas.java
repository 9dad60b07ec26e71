package dev.stepmem.plots;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * One figure: a title line, a grid of XChart panels, and a caption line naming model, device,
 * data and scale. Painted once per format (PNG via a BufferedImage, SVG via VectorGraphics2D), so
 * both files show the same thing; each is written to a temp file and renamed into place.
 *
 * @param title   the figure's title (the paper's figure number and what it shows)
 * @param caption what the reader must know to read it: model, device, data, scale, source
 * @param panels  the charts, row by row
 * @param columns panels per row
 */
public record FigureCanvas(String title, String caption, List<? extends Chart<?, ?>> panels, int columns)
        implements Rendered {
    static final int PANEL_W = 520, PANEL_H = 360, TITLE_H = 36, CAPTION_H = 44;

    public FigureCanvas {
        if (panels.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("a figure needs at least one panel and column");
        }
    }

    int rows() {
        return (panels.size() + columns - 1) / columns;
    }

    int width() {
        return Math.min(columns, panels.size()) * PANEL_W;
    }

    int height() {
        return TITLE_H + rows() * PANEL_H + captionHeight();
    }

    private static final Font CAPTION_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    /** The caption's lines, wrapped once with a raster font metric so PNG and SVG break them alike. */
    List<String> captionLines() {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            return wrap(g.getFontMetrics(CAPTION_FONT), caption, width() - 24);
        } finally {
            g.dispose();
        }
    }

    /** At least {@link #CAPTION_H} (two lines); taller when the caption wraps to more. */
    int captionHeight() {
        return Math.max(CAPTION_H, 18 + 15 * (captionLines().size() - 1) + 11);
    }

    /** Writes {@code base}.png and {@code base}.svg; returns the two paths. */
    @Override
    public List<Path> save(Path base) {
        Path png = base.resolveSibling(base.getFileName() + ".png");
        Path svg = base.resolveSibling(base.getFileName() + ".svg");
        BufferedImage image = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        paint(g);
        g.dispose();
        dev.stepmem.io.AtomicFile.write(png, out -> ImageIO.write(image, "png", out));
        VectorGraphics2D vg = new VectorGraphics2D();
        paint(vg);
        Document doc = new SVGProcessor().getDocument(vg.getCommands(), new PageSize(0, 0, width(), height()));
        dev.stepmem.io.AtomicFile.write(svg, doc::writeTo);
        return List.of(png, svg);
    }

    private void paint(Graphics2D g) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width(), height());
        g.setColor(Color.BLACK);
        // The title shrinks (down to 11 pt) to fit a one-panel figure rather than run off its edges.
        int size = 17;
        while (size > 11 && g.getFontMetrics(new Font(Font.SANS_SERIF, Font.BOLD, size)).stringWidth(title)
                > width() - 16) {
            size--;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
        centered(g, title, TITLE_H - 11);
        for (int i = 0; i < panels.size(); i++) {
            Graphics2D cell = (Graphics2D) g.create((i % columns) * PANEL_W, TITLE_H + (i / columns) * PANEL_H,
                    PANEL_W, PANEL_H);
            panels.get(i).paint(cell, PANEL_W, PANEL_H);
            cell.dispose();
        }
        g.setColor(Color.DARK_GRAY);
        g.setFont(CAPTION_FONT);
        int y = TITLE_H + rows() * PANEL_H + 18;
        for (String line : captionLines()) {
            g.drawString(line, 12, y);
            y += 15;
        }
    }

    private void centered(Graphics2D g, String text, int baseline) {
        int w = g.getFontMetrics().stringWidth(text);
        g.drawString(text, Math.max(8, (width() - w) / 2), baseline);
    }

    /** Splits text at spaces into lines no wider than max pixels. */
    static List<String> wrap(FontMetrics fm, String text, int max) {
        java.util.ArrayList<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && fm.stringWidth(line + " " + word) > max) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

}
