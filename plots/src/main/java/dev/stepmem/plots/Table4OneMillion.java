package dev.stepmem.plots;

import dev.stepmem.results.ResultRow;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Table 4: one very long sequence (1M tokens in the paper): TTFT, peak memory and perplexity of
 * full attention, FM and IMDC (and IM when present), from the rows {@code ttft_ms},
 * {@code peak_bytes} and {@code ppl} of a table4 sweep. One table per (source, device, model, L),
 * measured first; one line per method x compressor x attention, joining its TTFT and memory rows
 * (timed on seeded ids) with its perplexity row (on a dataset document). A run with status
 * {@code oom} reads "OOM (needs X)", X being its {@code peak_bytes} value (the bytes it asked for).
 */
public final class Table4OneMillion {
    private Table4OneMillion() {
    }

    public static MarkdownTable render(List<ResultRow> rows) {
        Captions.require(rows, "Table 4", "table4", "ttft_ms", "peak_bytes"); // perplexity is optional (modeled has none)
        List<ResultRow> mine = rows.stream().filter(r -> r.sweep().startsWith("table4")
                && java.util.Set.of("ttft_ms", "peak_bytes", "ppl").contains(r.metric())).toList();
        Map<String, List<ResultRow>> tables = mine.stream().collect(Collectors.groupingBy(
                r -> (r.source().equals("measured") ? "0" : "1") + r.source() + "|" + r.device() + "|" + r.model()
                        + "|" + String.format(Locale.ROOT, "%09d", r.length()), TreeMap::new, Collectors.toList()));
        StringBuilder md = new StringBuilder("# Table 4. One long sequence: TTFT, peak memory and perplexity\n");
        tables.values().forEach(t -> table(md, t));
        md.append("\nTTFT is the median of the runs in \"runs\"; peak memory is the memory ledger's peak, weights "
                + "included; PPL is that of the last c tokens (METHOD.md §6) on the data named above the table. "
                + "Modeled = the sim backend with a GPU profile, not a measurement; it computes no perplexity.\n");
        return new MarkdownTable(md.toString());
    }

    private static void table(StringBuilder md, List<ResultRow> rows) {
        ResultRow any = rows.getFirst();
        List<ResultRow> bounded = rows.stream().filter(r -> !r.method().equals("full")).toList();
        md.append("\n## ").append(any.model()).append(" on ").append(any.device()).append(" [").append(any.source())
                .append("], L = ").append(any.length()).append("\n\n");
        md.append("c = ").append(Captions.distinct(rows, r -> Integer.toString(r.chunk()))).append(", m_max = ")
                .append(Captions.distinct(bounded, r -> Integer.toString(r.memory()))).append("; IMDC function ")
                .append(Captions.distinct(bounded, ResultRow::function)).append(". ").append(Captions.context(rows))
                .append("\n\n");
        md.append("| method | compressor | TTFT (s) | peak memory | PPL | status | runs |\n");
        md.append("|---|---|---:|---:|---:|---|---:|\n");
        // one line per configuration, whatever the data its rows ran on (TTFT: seeded ids; PPL: a document)
        Map<String, List<ResultRow>> lines = rows.stream()
                .sorted(Comparator.comparingInt((ResultRow r) -> methodOrder(r.method()))
                        .thenComparing(ResultRow::compressor).thenComparing(ResultRow::attention))
                .collect(Collectors.groupingBy(r -> r.method() + "|" + r.compressor() + "|" + r.attention() + "|"
                        + r.chunk() + "|" + r.memory(), LinkedHashMap::new, Collectors.toList()));
        lines.values().forEach(run -> {
            ResultRow first = run.getFirst();
            ResultRow ttft = metric(run, "ttft_ms"), peak = metric(run, "peak_bytes"), ppl = metric(run, "ppl");
            boolean oom = run.stream().anyMatch(r -> r.status().equals("oom"));
            String status = oom ? "OOM (needs " + (peak == null ? "?" : bytes(peak.value())) + ")" : "ok";
            md.append("| ").append(first.method().toUpperCase(Locale.ROOT)).append(" | ")
                    .append(first.method().equals("full") ? "-" : first.compressor() + " (" + first.attention() + ")")
                    .append(" | ").append(oom || ttft == null ? "-" : number(ttft.value() / 1000, "%.1f"))
                    .append(" | ").append(oom || peak == null ? "-" : bytes(peak.value()))
                    .append(" | ").append(ppl == null ? "-" : number(ppl.value(), "%.3f"))
                    .append(" | ").append(status)
                    .append(" | ").append(ttft == null || oom ? "-" : Integer.toString(ttft.repeats())).append(" |\n");
        });
    }

    private static int methodOrder(String method) {
        int i = Style.METHODS.indexOf(method);
        return i < 0 ? Style.METHODS.size() : i;
    }

    private static ResultRow metric(List<ResultRow> run, String metric) {
        return run.stream().filter(r -> r.metric().equals(metric)).findFirst().orElse(null);
    }

    private static String number(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    /** Bytes as GiB from 1 GiB up, else MiB. */
    static String bytes(double b) {
        if (Double.isNaN(b)) {
            return "?";
        }
        return b >= (1L << 30) ? String.format(Locale.ROOT, "%.2f GiB", b / (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", b / (1L << 20));
    }
}
