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
import org.knowm.xchart.style.Styler;

/**
 * Ablation of the incremental function: TTFT and perplexity per function (linear, square, sqrt,
 * inverse_convex, inverse_concave, then any others such as the per-layer ones), bars per function
 * with one series per method (IM, IMDC), one panel per metric (x configuration when the sweep
 * holds several), from the rows {@code ttft_ms} and {@code ppl} of an ablation sweep with a
 * non-empty function.
 */
public final class AblationFunctions {
    private AblationFunctions() {
    }

    public static FigureCanvas render(List<ResultRow> rows) {
        List<ResultRow> mine = Captions.require(rows, "Ablation", "ablation", "ttft_ms", "ppl").stream()
                .filter(r -> !r.function().isEmpty()).toList();
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("Ablation: no ttft_ms/ppl rows with a function (IM/IMDC)");
        }
        Map<String, List<ResultRow>> byConfig = mine.stream().collect(Collectors.groupingBy(
                r -> r.compressor() + " (" + r.attention() + "), " + r.device()
                        + (r.source().equals("modeled") ? " [modeled]" : "") + ", L = " + r.length() + ", c = "
                        + r.chunk() + ", m_max = " + r.memory(), TreeMap::new, Collectors.toList()));
        List<CategoryChart> panels = new ArrayList<>();
        byConfig.forEach((label, group) -> {
            if (group.stream().anyMatch(r -> r.metric().equals("ttft_ms"))) {
                panels.add(panel("TTFT: " + label, "TTFT (s)", group, "ttft_ms", 1e-3));
            }
            if (group.stream().anyMatch(r -> r.metric().equals("ppl"))) {
                panels.add(panel("Perplexity: " + label, "perplexity (final chunk)", group, "ppl", 1));
            }
        });
        String caption = "TTFT: median over " + Captions.distinct(mine.stream().filter(r -> r.metric()
                .equals("ttft_ms")).toList(), r -> Integer.toString(r.repeats())) + " runs; perplexity of the last c "
                + "tokens (METHOD.md §6). A missing bar is a run that is absent or out of memory. "
                + Captions.context(mine);
        return new FigureCanvas("Ablation. Incremental functions of IM / IMDC: TTFT and perplexity", caption, panels,
                2);
    }

    private static CategoryChart panel(String title, String yTitle, List<ResultRow> group, String metric,
                                       double scale) {
        boolean modeled = group.getFirst().source().equals("modeled");
        CategoryChart chart = new CategoryChartBuilder().width(FigureCanvas.PANEL_W).height(FigureCanvas.PANEL_H)
                .title(title).xAxisTitle("incremental function").yAxisTitle(yTitle).build();
        Style.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 11));
        List<String> functions = group.stream().map(ResultRow::function).distinct().sorted(Captions.functionOrder())
                .toList();
        // XChart drops category labels closer than its spacing hint (74 px): every function is named.
        chart.getStyler().setXAxisTickMarkSpacingHint(20);
        if (functions.size() > 3) {
            chart.getStyler().setXAxisLabelRotation(45);
        }
        for (String method : Style.METHODS) {
            List<ResultRow> series = group.stream().filter(r -> r.method().equals(method)
                    && r.metric().equals(metric)).toList();
            if (series.isEmpty()) {
                continue;
            }
            List<Double> values = new ArrayList<>();
            for (String f : functions) {
                values.add(series.stream().filter(r -> r.function().equals(f) && r.status().equals("ok")
                        && !Double.isNaN(r.value())).mapToDouble(r -> r.value() * scale).findFirst().orElse(0));
            }
            chart.addSeries(method.toUpperCase(Locale.ROOT), functions, values)
                    .setFillColor(Style.color(method, modeled));
        }
        return chart;
    }
}
