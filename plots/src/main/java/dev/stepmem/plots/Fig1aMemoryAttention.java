package dev.stepmem.plots;

import dev.stepmem.results.ResultRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Fig 1a: the mean attention probability per memory token at each chunk step (METHOD.md §5), one
 * line per compressor, from the rows {@code mem_attention} (step >= 1, layer -1) of a fig1 sweep;
 * one panel per (L, c, m_max).
 */
public final class Fig1aMemoryAttention {
    static final String METRIC = "mem_attention";

    private Fig1aMemoryAttention() {
    }

    public static FigureCanvas render(List<ResultRow> rows) {
        List<ResultRow> mine = Captions.require(rows, "Fig 1a", "fig1", METRIC).stream()
                .filter(r -> r.layer() == -1 && r.step() >= 1).toList();
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("Fig 1a: no " + METRIC + " rows with layer -1 and step >= 1");
        }
        Map<String, List<ResultRow>> byPanel = mine.stream().collect(Collectors.groupingBy(
                r -> "L = " + r.length() + ", c = " + r.chunk() + ", m_max = " + r.memory(), TreeMap::new,
                Collectors.toList()));
        List<XYChart> panels = new ArrayList<>();
        byPanel.forEach((label, group) -> panels.add(panel(label, group)));
        String caption = "Over each chunk's query rows, the mean attention probability per memory token (attention "
                + "sinks excluded), averaged over layers and heads; method " + Captions.distinct(mine, ResultRow::method)
                + ". " + Captions.context(mine);
        return new FigureCanvas("Fig 1a. Average attention score of memory per chunk step", caption, panels,
                Math.min(2, panels.size()));
    }

    private static XYChart panel(String label, List<ResultRow> group) {
        XYChart chart = new XYChartBuilder().width(FigureCanvas.PANEL_W).height(FigureCanvas.PANEL_H).title(label)
                .xAxisTitle("chunk step i").yAxisTitle("attention prob. per memory token").build();
        Style.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisDecimalPattern("0.0##E0");
        Map<String, List<ResultRow>> bySeries = group.stream().collect(Collectors.groupingBy(
                r -> seriesName(r, group), TreeMap::new, Collectors.toList()));
        bySeries.forEach((name, series) -> {
            List<ResultRow> sorted = series.stream().sorted(Comparator.comparingInt(ResultRow::step)).toList();
            var s = chart.addSeries(name, sorted.stream().mapToDouble(ResultRow::step).toArray(),
                    sorted.stream().mapToDouble(ResultRow::value).toArray());
            ResultRow first = sorted.getFirst();
            s.setLineColor(Style.compressorColor(first.compressor(), first.source().equals("modeled")));
            s.setMarkerColor(Style.compressorColor(first.compressor(), first.source().equals("modeled")));
        });
        return chart;
    }

    /** The compressor, plus method, device or source when the panel mixes them. */
    static String seriesName(ResultRow r, List<ResultRow> group) {
        StringBuilder name = new StringBuilder(r.compressor());
        if (group.stream().map(ResultRow::method).distinct().count() > 1) {
            name.append(' ').append(r.method().toUpperCase(java.util.Locale.ROOT));
        }
        if (group.stream().map(ResultRow::attention).distinct().count() > 1) {
            name.append(" (").append(r.attention()).append(')');
        }
        if (group.stream().map(ResultRow::device).distinct().count() > 1) {
            name.append(", ").append(r.device());
        }
        if (group.stream().map(ResultRow::source).distinct().count() > 1) {
            name.append(" [").append(r.source()).append(']');
        }
        return name.toString();
    }
}
