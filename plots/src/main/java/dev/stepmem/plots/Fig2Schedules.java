package dev.stepmem.plots;

import dev.stepmem.results.ResultRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Fig 2: memory size and chunk size per step for FM, IM and IMDC, one pair of panels per
 * (L, c, m_max), from the rows {@code chunk_size} and {@code memory_size} of a fig2 sweep.
 */
public final class Fig2Schedules {
    private Fig2Schedules() {
    }

    public static FigureCanvas render(List<ResultRow> rows) {
        List<ResultRow> mine = rows.stream().filter(r -> r.sweep().startsWith("fig2")).toList();
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("no fig2 rows (metrics chunk_size, memory_size) in the results");
        }
        Map<String, List<ResultRow>> settings = mine.stream().collect(Collectors.groupingBy(
                r -> "L = " + r.length() + ", c = " + r.chunk() + ", m_max = " + r.memory(), TreeMap::new,
                Collectors.toList()));
        List<XYChart> panels = new ArrayList<>();
        settings.forEach((label, group) -> {
            panels.add(panel("Memory after each step (" + label + ")", "memory (tokens)", group, "memory_size"));
            panels.add(panel("Chunk size per step (" + label + ")", "chunk (tokens)", group, "chunk_size"));
        });
        ResultRow any = mine.getFirst();
        String caption = "Schedules computed from the plans (no model run): sinks (4 tokens) not counted; IM/IMDC "
                + "function " + functions(mine) + ". IM and IMDC share the memory schedule and FM and IM the chunk "
                + "sizes, so those lines coincide. Sweep " + any.sweep() + ".";
        return new FigureCanvas("Fig 2. Memory and chunk size per step: FM, IM, IMDC", caption, panels, 2);
    }

    private static XYChart panel(String title, String yTitle, List<ResultRow> group, String metric) {
        XYChart chart = new XYChartBuilder().width(FigureCanvas.PANEL_W).height(FigureCanvas.PANEL_H).title(title)
                .xAxisTitle("step i").yAxisTitle(yTitle).build();
        Style.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        for (String method : Style.METHODS) {
            List<ResultRow> series = group.stream().filter(r -> r.method().equals(method) && r.metric().equals(metric))
                    .sorted(java.util.Comparator.comparingInt(ResultRow::step)).toList();
            if (series.isEmpty()) {
                continue;
            }
            double[] x = series.stream().mapToDouble(ResultRow::step).toArray();
            double[] y = series.stream().mapToDouble(ResultRow::value).toArray();
            var s = chart.addSeries(method.toUpperCase(java.util.Locale.ROOT), x, y);
            s.setLineColor(Style.color(method, false));
            s.setMarkerColor(Style.color(method, false));
        }
        return chart;
    }

    private static String functions(List<ResultRow> rows) {
        return rows.stream().map(ResultRow::function).filter(f -> !f.isEmpty()).distinct().sorted()
                .collect(Collectors.joining(", "));
    }
}
