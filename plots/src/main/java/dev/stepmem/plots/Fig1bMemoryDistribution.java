package dev.stepmem.plots;

import dev.stepmem.results.ResultRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Fig 1b: where the final memory came from: the share of it that came from each chunk (token id
 * // c), averaged over layers, from the rows {@code memory_fraction} with layer -1 and step = chunk
 * index of a fig1 sweep; bars per chunk, one series per compressor, one panel per (L, c, m_max).
 */
public final class Fig1bMemoryDistribution {
    static final String METRIC = "memory_fraction";

    private Fig1bMemoryDistribution() {
    }

    public static FigureCanvas render(List<ResultRow> rows) {
        List<ResultRow> mine = Captions.require(rows, "Fig 1b", "fig1", METRIC).stream()
                .filter(r -> r.layer() == -1 && r.step() >= 0).toList();
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("Fig 1b: no " + METRIC + " rows with layer -1 (the layers' average)");
        }
        Map<String, List<ResultRow>> byPanel = mine.stream().collect(Collectors.groupingBy(
                r -> "L = " + r.length() + ", c = " + r.chunk() + ", m_max = " + r.memory(), TreeMap::new,
                Collectors.toList()));
        List<CategoryChart> panels = new ArrayList<>();
        byPanel.forEach((label, group) -> panels.add(panel(label, group)));
        String caption = "After the final step, the share of the memory that came from each chunk, averaged over "
                + "layers; method " + Captions.distinct(mine, ResultRow::method) + ". " + Captions.context(mine);
        return new FigureCanvas("Fig 1b. Memory distribution over chunks after the final step", caption, panels,
                Math.min(2, panels.size()));
    }

    private static CategoryChart panel(String label, List<ResultRow> group) {
        CategoryChart chart = new CategoryChartBuilder().width(FigureCanvas.PANEL_W).height(FigureCanvas.PANEL_H)
                .title(label).xAxisTitle("chunk index (token id // c)").yAxisTitle("share of final memory (%)").build();
        Style.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setOverlapped(false);
        TreeSet<Integer> chunks = group.stream().map(ResultRow::step).collect(Collectors.toCollection(TreeSet::new));
        if (chunks.size() > 16) {
            chart.getStyler().setXAxisLabelRotation(90);
        }
        List<String> categories = chunks.stream().map(String::valueOf).toList();
        Map<String, List<ResultRow>> bySeries = group.stream().collect(Collectors.groupingBy(
                r -> Fig1aMemoryAttention.seriesName(r, group), TreeMap::new, Collectors.toList()));
        bySeries.forEach((name, series) -> {
            List<Double> values = new ArrayList<>();
            for (int chunk : chunks) {
                values.add(series.stream().filter(r -> r.step() == chunk).mapToDouble(r -> 100 * r.value())
                        .findFirst().orElse(0));
            }
            ResultRow first = series.getFirst();
            chart.addSeries(name, categories, values)
                    .setFillColor(Style.compressorColor(first.compressor(), first.source().equals("modeled")));
        });
        return chart;
    }
}
