package dev.stepmem.plots;

import dev.stepmem.results.ResultRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.Styler;

/**
 * Ablation of the incremental function: TTFT and perplexity per function (linear, square, sqrt,
 * inverse_convex, inverse_concave, then any others such as the per-layer ones), bars per function
 * with one series per method (IM, IMDC) and FM as a reference line, one panel per metric x
 * configuration (measured first), from the rows {@code ttft_ms} and {@code ppl} of an ablation sweep.
 */
public final class AblationFunctions {
    private AblationFunctions() {
    }

    public static FigureCanvas render(List<ResultRow> rows) {
        List<ResultRow> mine = Captions.require(rows, "Ablation", "ablation", "ttft_ms", "ppl");
        if (mine.stream().allMatch(r -> r.function().isEmpty())) {
            throw new IllegalArgumentException("Ablation: no ttft_ms/ppl rows with a function (IM/IMDC)");
        }
        // One panel per configuration and metric: measured before modeled, TTFT before perplexity.
        Map<String, List<ResultRow>> byPanel = mine.stream().collect(Collectors.groupingBy(
                r -> (r.source().equals("modeled") ? "1" : "0") + (r.metric().equals("ttft_ms") ? "0" : "1")
                        + (r.metric().equals("ttft_ms") ? "TTFT" : "Perplexity") + " [" + r.source() + "]: "
                        + r.device() + ", " + r.compressor() + " (" + r.attention() + "), L " + r.length()
                        + (r.chunk() == r.memory() ? ", c = m_max = " + r.chunk()
                                : ", c = " + r.chunk() + ", m_max = " + r.memory()),
                TreeMap::new, Collectors.toList()));
        List<CategoryChart> panels = new ArrayList<>();
        byPanel.forEach((key, group) -> {
            boolean ttft = group.getFirst().metric().equals("ttft_ms");
            panels.add(panel(key.substring(2), ttft ? "TTFT (s)" : "perplexity (final chunk)", group,
                    ttft ? 1e-3 : 1));
        });
        String caption = "Measured TTFT: median over " + Captions.distinct(mine.stream().filter(r -> r.metric()
                .equals("ttft_ms") && r.source().equals("measured")).toList(), r -> Integer.toString(r.repeats()))
                + " runs; perplexity of the last c "
                + "tokens (METHOD.md §6). The grey line is FM (no incremental function). Per-layer functions "
                + "(square_sqrt, double_inverse, adaptive) exist for IM only. A missing bar is a run that is absent "
                + "or out of memory. " + Captions.context(mine);
        return new FigureCanvas("Ablation. Incremental functions of IM / IMDC: TTFT and perplexity", caption, panels,
                2);
    }

    private static CategoryChart panel(String title, String yTitle, List<ResultRow> group, double scale) {
        boolean modeled = group.getFirst().source().equals("modeled");
        CategoryChart chart = new CategoryChartBuilder().width(FigureCanvas.PANEL_W).height(FigureCanvas.PANEL_H)
                .title(title).xAxisTitle("incremental function").yAxisTitle(yTitle).build();
        Style.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 10));
        List<String> functions = group.stream().map(ResultRow::function).filter(f -> !f.isEmpty()).distinct()
                .sorted(Captions.functionOrder()).toList();
        // XChart drops category labels closer than its spacing hint (74 px): every function is named.
        chart.getStyler().setXAxisTickMarkSpacingHint(20);
        if (functions.size() > 3) {
            chart.getStyler().setXAxisLabelRotation(45);
        }
        for (String method : Style.METHODS) {
            List<ResultRow> series = group.stream().filter(r -> r.method().equals(method) && r.status().equals("ok")
                    && !Double.isNaN(r.value())).toList();
            if (series.isEmpty()) {
                continue;
            }
            if (method.equals("fm")) { // FM has no function: one value, drawn across as the reference
                double fm = series.getFirst().value() * scale;
                CategorySeries line = chart.addSeries("FM", functions, functions.stream().map(f -> fm).toList());
                line.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Line);
                line.setLineColor(java.awt.Color.GRAY);
                line.setMarker(SeriesMarkers.NONE);
                continue;
            }
            List<Double> values = new ArrayList<>();
            for (String f : functions) {
                values.add(series.stream().filter(r -> r.function().equals(f)).mapToDouble(r -> r.value() * scale)
                        .findFirst().orElse(0));
            }
            chart.addSeries(method.toUpperCase(Locale.ROOT), functions, values)
                    .setFillColor(Style.color(method, modeled));
        }
        return chart;
    }
}
