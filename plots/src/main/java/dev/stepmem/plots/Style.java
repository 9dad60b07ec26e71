package dev.stepmem.plots;

import java.awt.Color;
import java.awt.Font;
import java.util.List;
import org.knowm.xchart.style.AxesChartStyler;

/** One look for every figure: the methods' colours (lighter when modeled), fonts, no chart borders. */
final class Style {
    static final List<String> METHODS = List.of("full", "fm", "im", "imdc");

    private Style() {
    }

    static Color color(String method, boolean modeled) {
        Color c = switch (method) {
            case "fm" -> new Color(0x1f, 0x77, 0xb4);
            case "im" -> new Color(0xff, 0x7f, 0x0e);
            case "imdc" -> new Color(0x2c, 0xa0, 0x2c);
            default -> new Color(0x55, 0x55, 0x55);
        };
        // Modeled bars are the same hue, washed out: measured and modeled never look alike.
        return modeled ? washed(c) : c;
    }

    /** The compressors' colours (probe figures draw one series per compressor). */
    static Color compressorColor(String compressor, boolean modeled) {
        Color c = compressor.startsWith("streamingllm") ? new Color(0xd6, 0x27, 0x28)
                : compressor.startsWith("snapkv") ? new Color(0x94, 0x67, 0xbd) : new Color(0x8c, 0x56, 0x4b);
        return modeled ? washed(c) : c;
    }

    static Color washed(Color c) {
        return new Color((c.getRed() + 2 * 255) / 3, (c.getGreen() + 2 * 255) / 3, (c.getBlue() + 2 * 255) / 3);
    }

    static void apply(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setChartTitleBoxVisible(false);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
    }
}
