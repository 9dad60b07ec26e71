package dev.stepmem.plots;

import dev.stepmem.results.ResultRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Fig 5: perplexity of the final chunk (METHOD.md §6), FM / IM / IMDC bars per memory size, one
 * panel per domain x compressor (x L, c), from the rows {@code ppl} of a fig5 sweep. The
 * full-attention reference is the rows with method {@code full} and metric {@code ppl} of the same
 * model, domain, L and c (their compressor and m_max are ignored); it is drawn as a grey bar in every
 * group.
 */
public final class Fig5Perplexity {
    static final String METRIC = "ppl";
    private static final List<String> METHODS = List.of("fm", "im", "imdc");

    private Fig5Perplexity() {
    }

    public static FigureCanvas render(List<ResultRow> rows) {
        List<ResultRow> all = Captions.require(rows, "Fig 5", "fig5", METRIC);
        List<ResultRow> full = all.stream().filter(r -> r.method().equals("full")).toList();
        List<ResultRow> mine = all.stream().filter(r -> METHODS.contains(r.method())).toList();
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("Fig 5: no ppl rows with method fm, im or imdc in sweeps fig5*");
        }
        Map<String, List<ResultRow>> byPanel = mine.stream().collect(Collectors.groupingBy(
                r -> r.domain() + ", " + r.compressor() + (r.source().equals("modeled") ? " [modeled]" : "")
                        + ": " + r.model() + ", L = " + r.length() + ", c = " + r.chunk(),
                TreeMap::new, Collectors.toList()));
        List<CategoryChart> panels = new ArrayList<>();
        List<String> noReference = new ArrayList<>();
        byPanel.forEach((label, group) -> {
            ResultRow any = group.getFirst();
            List<ResultRow> reference = full.stream().filter(f -> f.model().equals(any.model())
                    && f.domain().equals(any.domain()) && f.length() == any.length() && f.chunk() == any.chunk()
                    && f.device().equals(any.device())).toList();
            if (reference.isEmpty()) {
                noReference.add(label);
            }
            panels.add(panel(label, group, reference));
        });
        String models = Captions.distinct(mine, ResultRow::model);
        String caption = "Perplexity of the last c tokens after prefilling the first L - c with each method's schedule "
                + "(mean over " + documents(mine) + " documents per domain; lower is better); grey: full attention "
                + "on the same tokens (it does not depend on m_max)" + (noReference.isEmpty() ? "" : " (missing for " + noReference.size()
                + " panel(s))") + ". IM/IMDC function " + Captions.distinct(mine, ResultRow::function) + ". "
                + (models.contains("stories15M") ? "stories15M is a 15M-parameter model trained on children's "
                + "stories: out of domain on code and LaTeX, where its perplexity is very high. " : "")
                + Captions.context(all);
        return new FigureCanvas("Fig 5. Perplexity of the final chunk: FM, IM, IMDC vs full attention", caption,
                panels, Math.min(2, panels.size()));
    }

    private static CategoryChart panel(String label, List<ResultRow> group, List<ResultRow> reference) {
        boolean modeled = group.getFirst().source().equals("modeled");
        CategoryChart chart = new CategoryChartBuilder().width(FigureCanvas.PANEL_W).height(FigureCanvas.PANEL_H)
                .title(label).xAxisTitle("memory limit m_max (tokens)").yAxisTitle("perplexity (final chunk)")
                .build();
        Style.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 11));
        chart.getStyler().setYAxisMin(0.0);
        TreeSet<Integer> memories = group.stream().map(ResultRow::memory).collect(Collectors.toCollection(TreeSet::new));
        List<String> categories = memories.stream().map(String::valueOf).toList();
        if (!reference.isEmpty()) {
            double ppl = reference.stream().filter(r -> !Double.isNaN(r.value())).mapToDouble(ResultRow::value)
                    .sorted().skip((reference.size() - 1) / 2).findFirst().orElse(Double.NaN);
            if (!Double.isNaN(ppl)) {
                chart.addSeries("full attention", categories, categories.stream().map(c -> ppl).toList())
                        .setFillColor(Style.color("full", modeled));
            }
        }
        for (String method : METHODS) {
            if (group.stream().noneMatch(r -> r.method().equals(method))) {
                continue;
            }
            List<Double> values = new ArrayList<>();
            for (int m : memories) {
                values.add(group.stream().filter(r -> r.method().equals(method) && r.memory() == m
                        && r.status().equals("ok") && !Double.isNaN(r.value())).mapToDouble(ResultRow::value)
                        .findFirst().orElse(0));
            }
            chart.addSeries(method.toUpperCase(Locale.ROOT), categories, values)
                    .setFillColor(Style.color(method, modeled));
        }
        return chart;
    }

    private static String documents(List<ResultRow> rows) {
        return rows.stream().map(r -> Integer.toString(r.repeats())).distinct().sorted()
                .collect(Collectors.joining("/"));
    }
}
