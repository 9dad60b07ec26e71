package dev.stepmem.plots;

import dev.stepmem.plots.TradeoffPoints.Point;
import dev.stepmem.results.ResultRow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The compressor trade-off: TTFT and peak memory against the final chunk's perplexity, one point
 * per compressor x method (FM / IM / IMDC by colour), the Pareto front drawn as a line and named in
 * the caption. Panels: measured on the CPU (stories15M), and modeled (LLaMA-2-7B on a GPU profile)
 * against the same measured perplexities, since the sim computes no values.
 */
public final class TradeoffCompressors {
    private TradeoffCompressors() {
    }

    public static FigureCanvas render(List<ResultRow> rows) {
        List<Point> points = TradeoffPoints.all(rows);
        if (points.isEmpty()) {
            throw new IllegalArgumentException("compressor trade-off: no compressors* rows with ttft_ms, peak_bytes "
                    + "and a measured ppl for the same compressor and method");
        }
        List<XYChart> panels = new ArrayList<>();
        List<String> fronts = new ArrayList<>();
        for (String device : points.stream().map(p -> p.source() + "|" + p.device()).distinct().toList()) {
            List<Point> group = points.stream().filter(p -> (p.source() + "|" + p.device()).equals(device)).toList();
            boolean modeled = group.getFirst().source().equals("modeled");
            String where = (modeled ? "modeled, " : "measured, ") + group.getFirst().device();
            panels.add(panel("TTFT vs perplexity [" + where + "]", modeled ? "TTFT (s)" : "TTFT (ms)", group,
                    modeled ? p -> p.ttftMs() / 1e3 : Point::ttftMs, modeled, fronts, where));
            panels.add(panel("Peak memory vs perplexity [" + where + "]", modeled ? "peak memory (GiB)" : "peak memory (MiB)",
                    group, modeled ? p -> p.peakBytes() / 0x1p30 : p -> p.peakBytes() / 0x1p20, modeled, fronts, where));
        }
        String caption = "Each point is one compressor under one method at one setting; x: perplexity of the final "
                + "chunk measured on stories15M (lower is better), y: cost (lower is better). The line joins the "
                + "Pareto front. " + String.join(" ", fronts) + " Modeled panels pair the sim's TTFT and peak for "
                + "LLaMA-2-7B with the perplexities measured on stories15M. " + Captions.context(
                rows.stream().filter(r -> r.sweep().startsWith(TradeoffPoints.SWEEP)).toList());
        return new FigureCanvas("Compressors inside chunked prefill: cost against perplexity", caption, panels, 2);
    }

    private static XYChart panel(String title, String yTitle, List<Point> group, ToDoubleFunction<Point> cost,
                                 boolean modeled, List<String> fronts, String where) {
        XYChart chart = new XYChartBuilder().width(FigureCanvas.PANEL_W).height(FigureCanvas.PANEL_H).title(title)
                .xAxisTitle("perplexity of the final chunk (stories15M)").yAxisTitle(yTitle).build();
        Style.apply(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 11));
        for (String method : List.of("fm", "im", "imdc")) {
            List<Point> mine = group.stream().filter(p -> p.method().equals(method)).toList();
            if (!mine.isEmpty()) {
                XYSeries s = chart.addSeries(method.toUpperCase(java.util.Locale.ROOT),
                        mine.stream().map(Point::ppl).toList(), mine.stream().map(cost::applyAsDouble).toList());
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(Style.color(method, modeled));
            }
        }
        List<Point> front = TradeoffPoints.paretoFront(group, cost);
        XYSeries line = chart.addSeries("Pareto front", front.stream().map(Point::ppl).toList(),
                front.stream().map(cost::applyAsDouble).toList());
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(java.awt.Color.DARK_GRAY);
        for (Point p : group) {
            chart.addAnnotation(new org.knowm.xchart.AnnotationText(p.compressor(), p.ppl(), cost.applyAsDouble(p), false));
        }
        fronts.add("Front of " + title.substring(0, title.indexOf(" vs")) + " [" + where + "]: "
                + String.join(", ", front.stream().map(Point::label).toList()) + ".");
        return chart;
    }
}
