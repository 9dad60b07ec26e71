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
 * Fig 4: TTFT and peak memory bars, FM / IM / IMDC per memory size, per device x model x
 * compressor x attention x L, from the rows {@code ttft_ms} and {@code peak_bytes} of a fig4
 * sweep. A measured configuration is one row of panels (TTFT, memory). A modeled one is two rows
 * when the sweep modeled it with more than one implementation profile: the TTFTs side by side
 * (the paper's code first, an efficient engine last), then the memories, each pair on one scale.
 * Modeled panels say so in their title and use washed-out colours; an out-of-memory run is a zero
 * bar named in the panel's title.
 */
public final class Fig4TimeMemory {
    private Fig4TimeMemory() {
    }

    public static FigureCanvas render(List<ResultRow> rows) {
        List<ResultRow> mine = rows.stream().filter(r -> r.sweep().startsWith("fig4")).toList();
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("no fig4 rows (metrics ttft_ms, peak_bytes) in the results");
        }
        // Measured panels first, then modeled ones by device (the key's first character orders them).
        Map<String, List<ResultRow>> panelsByKey = mine.stream().collect(Collectors.groupingBy(
                r -> (r.source().equals("measured") ? "0" : "1") + r.device() + ", " + r.compressor() + " ("
                        + r.attention() + "), L " + r.length(), TreeMap::new, Collectors.toList()));
        List<CategoryChart> panels = new ArrayList<>();
        panelsByKey.forEach((sortKey, group) -> {
            String key = sortKey.substring(1);
            boolean modeled = group.getFirst().source().equals("modeled");
            Map<String, List<ResultRow>> byImpl = group.stream().collect(Collectors.groupingBy(
                    ReportData::implementation, () -> new TreeMap<>(PAPER_CODE_FIRST), Collectors.toList()));
            boolean large = group.stream().anyMatch(r -> r.metric().equals("peak_bytes") && r.value() >= 0x1p33);
            double memoryScale = large ? 0x1p-30 : 0x1p-20;
            if (byImpl.size() == 1) {
                String tag = modeled ? " [modeled]" : " [measured]";
                panels.add(bars("TTFT" + tag + ": " + key, "TTFT (s)", group, "ttft_ms", 1e-3, modeled));
                panels.add(bars("Peak memory" + tag + ": " + key, large ? "peak memory (GiB)" : "peak memory (MiB)",
                        group, "peak_bytes", memoryScale, modeled));
                return;
            }
            List<CategoryChart> times = new ArrayList<>(), memories = new ArrayList<>();
            byImpl.forEach((impl, rowsOfImpl) -> {
                String tag = " [modeled, " + impl + "]";
                times.add(bars("TTFT" + tag + ": " + key, "TTFT (s)", rowsOfImpl, "ttft_ms", 1e-3, true));
                memories.add(bars("Peak memory" + tag + ": " + key, large ? "peak memory (GiB)" : "peak memory (MiB)",
                        rowsOfImpl, "peak_bytes", memoryScale, true));
            });
            panels.addAll(onOneScale(times, group, "ttft_ms", 1e-3));
            panels.addAll(onOneScale(memories, group, "peak_bytes", memoryScale));
        });
        ResultRow any = mine.getFirst();
        String caption = "Median TTFT over " + repeats(mine) + " runs (measured bars: +-half the max - min of the timed "
                + "runs) and the memory ledger's peak (weights included). "
                + "Model " + distinct(mine, ResultRow::model) + ", c = " + mine.stream().map(ResultRow::chunk).distinct()
                        .sorted().map(String::valueOf).collect(Collectors.joining(", "))
                + ". Data: " + distinct(mine, ResultRow::domain) + "; weights " + distinct(mine, ResultRow::weights) + " "
                + distinct(mine, ResultRow::dtype) + "; IM/IMDC function " + distinct(mine, ResultRow::function)
                + ". Sweep " + any.sweep() + ". Modeled = the sim backend with a GPU profile, not a measurement"
                + (mine.stream().map(ReportData::implementation).filter(i -> !i.isEmpty()).distinct().count() > 1
                        ? "; reference-eager = the paper's PyTorch eager code (fitted on the paper's A800 bars), "
                                + "efficient = an efficient engine, on the same device profile." : ".");
        return new FigureCanvas("Fig 4. Time to first token and peak memory: FM, IM, IMDC", caption, panels, 2);
    }

    /** The paper's code (any implementation but efficient) before the efficient engine. */
    static final java.util.Comparator<String> PAPER_CODE_FIRST = java.util.Comparator
            .comparing((String name) -> name.equals("efficient")).thenComparing(java.util.Comparator.naturalOrder());

    /** Side-by-side panels of one metric on the y range of the largest bar among them. */
    private static List<CategoryChart> onOneScale(List<CategoryChart> charts, List<ResultRow> group, String metric,
                                                  double scale) {
        double max = group.stream().filter(r -> r.metric().equals(metric) && r.status().equals("ok")
                && !Double.isNaN(r.value())).mapToDouble(r -> r.value() * scale).max().orElse(1);
        charts.forEach(c -> {
            c.getStyler().setYAxisMin(0.0);
            c.getStyler().setYAxisMax(max * 1.05);
        });
        return charts;
    }

    private static CategoryChart bars(String title, String yTitle, List<ResultRow> group, String metric, double scale,
                                      boolean modeled) {
        CategoryChart chart = new CategoryChartBuilder().width(FigureCanvas.PANEL_W).height(FigureCanvas.PANEL_H)
                .title(title).xAxisTitle("memory limit m_max (tokens)").yAxisTitle(yTitle).build();
        Style.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 10));
        TreeSet<Integer> memories = group.stream().map(ResultRow::memory).collect(Collectors.toCollection(TreeSet::new));
        List<String> categories = memories.stream().map(String::valueOf).toList();
        List<String> oom = new ArrayList<>();
        // Measured TTFT bars carry the timed runs' spread: +-(max - min) / 2 around the median.
        boolean errorBars = !modeled && metric.equals("ttft_ms");
        if (errorBars) {
            chart.getStyler().setErrorBarsColor(java.awt.Color.DARK_GRAY);
        }
        for (String method : Style.METHODS) {
            List<Double> values = new ArrayList<>(), errors = new ArrayList<>();
            boolean any = false;
            for (int m : memories) {
                ResultRow r = group.stream().filter(x -> x.method().equals(method) && x.memory() == m
                        && x.metric().equals(metric)).findFirst().orElse(null);
                any |= r != null;
                if (r != null && r.status().equals("oom")) {
                    oom.add(method.toUpperCase(Locale.ROOT) + "@" + m);
                }
                boolean missing = r == null || r.status().equals("oom") || Double.isNaN(r.value());
                values.add(missing ? 0.0 : r.value() * scale);
                errors.add(missing || Double.isNaN(r.spread()) ? 0.0 : r.spread() / 2 * scale);
            }
            if (any) {
                (errorBars ? chart.addSeries(method.toUpperCase(Locale.ROOT), categories, values, errors)
                        : chart.addSeries(method.toUpperCase(Locale.ROOT), categories, values))
                        .setFillColor(Style.color(method, modeled));
            }
        }
        if (!oom.isEmpty()) {
            chart.setTitle(title + "; OOM: " + String.join(", ", oom));
        }
        return chart;
    }

    private static String repeats(List<ResultRow> rows) {
        return rows.stream().filter(r -> r.metric().equals("ttft_ms")).map(r -> Integer.toString(r.repeats()))
                .distinct().sorted().collect(Collectors.joining("/"));
    }

    private static String distinct(List<ResultRow> rows, java.util.function.Function<ResultRow, String> field) {
        String s = rows.stream().map(field).filter(v -> !v.isEmpty()).distinct().sorted()
                .collect(Collectors.joining(", "));
        return s.isEmpty() ? "-" : s;
    }
}
