package dev.stepmem.plots;

import dev.stepmem.results.ResultRow;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Fig 6: the share of each layer's final memory that came from each chunk, as a layer x chunk
 * heatmap, one panel per compressor (and L, c, m_max), from the rows {@code memory_fraction} with
 * layer >= 0 and step = chunk index of a fig1 sweep. The last chunk's column is dropped, as in the
 * paper (it holds most of the memory and would wash out the rest of the scale).
 */
public final class Fig6MemoryHeatmap {
    static final String METRIC = "memory_fraction";

    private Fig6MemoryHeatmap() {
    }

    public static FigureCanvas render(List<ResultRow> rows) {
        List<ResultRow> mine = Captions.require(rows, "Fig 6", "fig1", METRIC).stream()
                .filter(r -> r.layer() >= 0 && r.step() >= 0).toList();
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("Fig 6: no " + METRIC + " rows with layer >= 0 (per-layer shares)");
        }
        boolean oneSetting = mine.stream().map(Fig6MemoryHeatmap::setting).distinct().count() == 1;
        Map<String, List<ResultRow>> byPanel = mine.stream().collect(Collectors.groupingBy(
                r -> Fig1aMemoryAttention.seriesName(r, mine) + (oneSetting ? "" : ", " + setting(r)), TreeMap::new,
                Collectors.toList()));
        List<HeatMapChart> panels = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        byPanel.forEach((label, group) -> {
            int last = group.stream().mapToInt(ResultRow::step).max().orElseThrow();
            dropped.add(Integer.toString(last));
            List<ResultRow> kept = group.stream().filter(r -> r.step() != last).toList();
            if (kept.isEmpty()) {
                throw new IllegalArgumentException("Fig 6: " + label + " has one chunk only; nothing left once the "
                        + "last chunk's column is dropped");
            }
            if (kept.stream().allMatch(r -> r.value() == 0)) {
                empty.add(label);
            }
            panels.add(panel(label, kept));
        });
        String caption = "Share (%) of each layer's final memory that came from each chunk; the last chunk's column "
                + "(chunk " + String.join("/", dropped.stream().distinct().toList()) + ") is dropped as in the paper. "
                + "Method " + Captions.distinct(mine, ResultRow::method) + (oneSetting ? ", " + setting(mine.getFirst())
                : "") + ". " + (empty.isEmpty() ? "" : "Empty panel (" + String.join(", ", empty) + "): all of that "
                + "memory came from the last chunk, as StreamingLLM's most recent tokens do when m_max <= c. ")
                + Captions.context(mine);
        return new FigureCanvas("Fig 6. Memory distribution per layer and chunk (last chunk dropped)", caption, panels,
                Math.min(2, panels.size()));
    }

    private static String setting(ResultRow r) {
        return "L = " + r.length() + ", c = " + r.chunk() + ", m_max = " + r.memory();
    }

    private static HeatMapChart panel(String label, List<ResultRow> group) {
        HeatMapChart chart = new HeatMapChartBuilder().width(FigureCanvas.PANEL_W).height(FigureCanvas.PANEL_H)
                .title(label).xAxisTitle("chunk index (token id // c)").yAxisTitle("layer").build();
        Style.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setRangeColors(new Color[] {new Color(0xf7, 0xfb, 0xff), new Color(0x6b, 0xae, 0xd6),
                new Color(0x08, 0x30, 0x6b)});
        chart.getStyler().setHeatMapValueDecimalPattern("0.#");
        List<Integer> chunks = new ArrayList<>(group.stream().map(ResultRow::step)
                .collect(Collectors.toCollection(TreeSet::new)));
        List<Integer> layers = new ArrayList<>(group.stream().map(ResultRow::layer)
                .collect(Collectors.toCollection(TreeSet::new)));
        chart.getStyler().setShowValue(chunks.size() <= 8 && layers.size() <= 12);
        if (chunks.size() > 16) {
            chart.getStyler().setXAxisLabelRotation(90);
        }
        List<Number[]> heat = new ArrayList<>();
        for (ResultRow r : group) {
            heat.add(new Number[] {chunks.indexOf(r.step()), layers.indexOf(r.layer()), 100 * r.value()});
        }
        // Round ends for the colour scale: its legend prints them as they are.
        double max = heat.stream().mapToDouble(h -> h[2].doubleValue()).max().orElse(1);
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(Math.max(1, Math.ceil(max)));
        chart.addSeries("share (%)", chunks, layers, heat);
        return chart;
    }
}
