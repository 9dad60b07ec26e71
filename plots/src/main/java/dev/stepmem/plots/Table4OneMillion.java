package dev.stepmem.plots;

import dev.stepmem.results.ResultRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Table 4: one very long sequence (1M tokens in the paper): TTFT, peak memory and perplexity of
 * full attention, FM and IMDC (and IM when present), from the rows {@code ttft_ms},
 * {@code peak_bytes} and {@code ppl} of a table4 sweep. One table row per configuration (method,
 * compressor, attention, device, source); a run with status {@code oom} reads "OOM (needs X)",
 * X being the value of its {@code peak_bytes} row (the bytes it asked for).
 */
public final class Table4OneMillion {
    private Table4OneMillion() {
    }

    public static MarkdownTable render(List<ResultRow> rows) {
        List<ResultRow> mine = Captions.require(rows, "Table 4", "table4", "ttft_ms", "peak_bytes", "ppl");
        Map<String, List<ResultRow>> byRun = mine.stream()
                .sorted(Comparator.comparingInt((ResultRow r) -> methodOrder(r.method()))
                        .thenComparing(ResultRow::runKey))
                .collect(Collectors.groupingBy(ResultRow::runKey, LinkedHashMap::new, Collectors.toList()));
        StringBuilder md = new StringBuilder();
        ResultRow any = mine.getFirst();
        md.append("# Table 4. One long sequence: TTFT, peak memory and perplexity\n\n");
        md.append("L = ").append(Captions.distinct(mine, r -> Integer.toString(r.length()))).append(" tokens, c = ")
                .append(Captions.distinct(mine, r -> Integer.toString(r.chunk()))).append(", m_max = ")
                .append(Captions.distinct(mine.stream().filter(r -> !r.method().equals("full")).toList(),
                        r -> Integer.toString(r.memory()))).append("; IMDC function ")
                .append(Captions.distinct(mine, ResultRow::function)).append(". ").append(Captions.context(mine))
                .append('\n').append('\n');
        md.append("| method | compressor | TTFT (s) | peak memory | PPL | status | source | device |\n");
        md.append("|---|---|---:|---:|---:|---|---|---|\n");
        List<String> lines = new ArrayList<>();
        byRun.forEach((key, run) -> {
            ResultRow first = run.getFirst();
            ResultRow ttft = metric(run, "ttft_ms"), peak = metric(run, "peak_bytes"), ppl = metric(run, "ppl");
            boolean oom = run.stream().anyMatch(r -> r.status().equals("oom"));
            String status = oom ? "OOM (needs " + (peak == null ? "?" : bytes(peak.value())) + ")" : "ok";
            lines.add("| " + first.method().toUpperCase(Locale.ROOT) + " | "
                    + (first.method().equals("full") ? "-" : first.compressor() + " (" + first.attention() + ")")
                    + " | " + (oom || ttft == null ? "-" : number(ttft.value() / 1000, "%.1f"))
                    + " | " + (oom || peak == null ? "-" : bytes(peak.value()))
                    + " | " + (oom || ppl == null ? "-" : number(ppl.value(), "%.3f"))
                    + " | " + status + " | " + first.source() + " | " + first.device() + " |");
        });
        md.append(String.join("\n", lines)).append("\n\nSweep ").append(any.sweep())
                .append("; TTFT is the median of ").append(Captions.distinct(mine.stream()
                        .filter(r -> r.metric().equals("ttft_ms")).toList(), r -> Integer.toString(r.repeats())))
                .append(" run(s); peak memory is the memory ledger's peak, weights included.\n");
        return new MarkdownTable(md.toString());
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
