package dev.stepmem.plots;

import static dev.stepmem.plots.ReportData.fmt;

import dev.stepmem.results.ResultRow;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;

/** The numbers behind each figure as Markdown tables, for the report (pure functions of the rows). */
final class ReportTables {
    private static final String[] METHODS = {"fm", "im", "imdc"};

    private ReportTables() {
    }

    /** Fig 1a: mean attention per memory token by step, one column per compressor (x 1000). */
    static String fig1a(List<ResultRow> rows) {
        List<ResultRow> a = ReportData.rows(rows, "fig1", "mem_attention");
        return stepTable(a, "step", "mean attention per memory token (x 1000)", 1000, "%.3f");
    }

    /** Fig 1b: share of the final memory from each chunk (mean over layers), one column per compressor. */
    static String fig1b(List<ResultRow> rows) {
        List<ResultRow> f = ReportData.rows(rows, "fig1", "memory_fraction").stream().filter(r -> r.layer() == -1)
                .toList();
        return stepTable(f, "chunk", "share of the final memory (%)", 100, "%.1f");
    }

    /** Fig 6: per layer, the share of its final memory from the last quarter of the chunks. */
    static String fig6(List<ResultRow> rows) {
        List<ResultRow> f = ReportData.rows(rows, "fig1", "memory_fraction").stream().filter(r -> r.layer() >= 0)
                .toList();
        if (f.isEmpty()) {
            return "";
        }
        int chunks = f.stream().mapToInt(ResultRow::step).max().orElseThrow() + 1, quarter = Math.max(1, chunks / 4);
        Map<String, List<ResultRow>> byCompressor = ReportData.group(f, ResultRow::compressor);
        StringBuilder md = new StringBuilder("| layer |");
        byCompressor.keySet().forEach(c -> md.append(' ').append(c).append(": share from the last ").append(quarter)
                .append(" of ").append(chunks).append(" chunks |"));
        md.append("\n|---:|").append("---:|".repeat(byCompressor.size())).append('\n');
        new TreeSet<>(f.stream().map(ResultRow::layer).toList()).forEach(layer -> {
            md.append("| ").append(layer).append(" |");
            byCompressor.values().forEach(g -> md.append(' ').append(fmt(100 * g.stream().filter(r -> r.layer() == layer
                    && r.step() >= chunks - quarter).mapToDouble(ResultRow::value).sum(), "%.0f%%")).append(" |"));
            md.append('\n');
        });
        return md.toString();
    }

    /** Fig 2: chunk and memory size per step, FM / IM / IMDC. */
    static String fig2(List<ResultRow> rows) {
        List<ResultRow> chunk = ReportData.rows(rows, "fig2", "chunk_size"), memory = ReportData.rows(rows, "fig2",
                "memory_size");
        if (chunk.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("| step | chunk FM | chunk IM | chunk IMDC | memory FM | memory IM | "
                + "memory IMDC | memory + chunk IMDC |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        new TreeSet<>(chunk.stream().map(ResultRow::step).toList()).forEach(step -> {
            md.append("| ").append(step).append(" |");
            for (List<ResultRow> metric : List.of(chunk, memory)) {
                for (String m : METHODS) {
                    md.append(' ').append(fmt(at(metric, m, step), "%.0f")).append(" |");
                }
            }
            OptionalDouble before = step == 0 ? OptionalDouble.of(0) : at(memory, "imdc", step - 1);
            OptionalDouble c = at(chunk, "imdc", step);
            md.append(' ').append(before.isPresent() && c.isPresent() ? fmt(before.getAsDouble() + c.getAsDouble(),
                    "%.0f") : "-").append(" |\n");
        });
        return md.toString();
    }

    private static OptionalDouble at(List<ResultRow> rows, String method, int step) {
        return ReportData.value(rows.stream().filter(r -> r.step() == step).toList(), method);
    }

    /** Fig 4: per panel and m_max, TTFT and peak memory of FM / IM / IMDC with the ratios. */
    static String fig4(List<ResultRow> rows) {
        List<ResultRow> ttft = ReportData.rows(rows, "fig4", "ttft_ms"), peak = ReportData.rows(rows, "fig4",
                "peak_bytes");
        StringBuilder md = new StringBuilder();
        // measured panels first (the key starts with the source)
        ReportData.group(ttft, ReportData::panel).forEach((panel, t) -> {
            List<ResultRow> p = peak.stream().filter(r -> ReportData.panel(r).equals(panel)).toList();
            boolean gib = p.stream().anyMatch(r -> r.value() >= 0x1p33);
            String unit = gib ? "GiB" : "MiB";
            md.append("\n**").append(panel).append("**\n\n| m_max | TTFT FM (s) | IM | IMDC | spread FM / IM / IMDC "
                    + "(s) | FM/IM | FM/IMDC | peak FM (").append(unit).append(") | IM | IMDC | IMDC saves |\n"
                    + "|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
            new TreeSet<>(t.stream().map(ResultRow::memory).toList()).forEach(m -> {
                List<ResultRow> tm = t.stream().filter(r -> r.memory() == m).toList();
                List<ResultRow> pm = p.stream().filter(r -> r.memory() == m).toList();
                md.append("| ").append(m).append(" |");
                for (String method : METHODS) {
                    md.append(' ').append(cell(tm, method, 1e-3, "%.3f")).append(" |");
                }
                md.append(' ').append(spreads(tm)).append(" | ")
                        .append(ReportData.ratio(ReportData.value(tm, "fm"), ReportData.value(tm, "im"))).append(" | ")
                        .append(ReportData.ratio(ReportData.value(tm, "fm"), ReportData.value(tm, "imdc"))).append(" |");
                for (String method : METHODS) {
                    md.append(' ').append(cell(pm, method, gib ? 0x1p-30 : 0x1p-20, "%.2f")).append(" |");
                }
                md.append(' ').append(ReportData.saving(ReportData.value(pm, "imdc"), ReportData.value(pm, "fm")))
                        .append(" |\n");
            });
        });
        return md.toString();
    }

    /** A value scaled, "OOM" for an out-of-memory run, "-" when absent. */
    private static String cell(List<ResultRow> g, String method, double scale, String format) {
        ResultRow r = ReportData.first(g, x -> x.method().equals(method)).orElse(null);
        if (r == null) {
            return "-";
        }
        return r.status().equals("oom") ? "OOM" : fmt(r.value() * scale, format);
    }

    private static String spreads(List<ResultRow> g) {
        StringBuilder s = new StringBuilder();
        for (String m : METHODS) {
            s.append(s.isEmpty() ? "" : " / ").append(ReportData.first(g, r -> r.method().equals(m))
                    .map(r -> fmt(r.spread() * 1e-3, "%.3f")).orElse("-"));
        }
        return s.toString();
    }

    /** Fig 5: perplexity per domain, compressor and m_max, with full attention and the change against FM. */
    static String fig5(List<ResultRow> rows) {
        List<ResultRow> ppl = ReportData.rows(rows, "fig5", "ppl");
        StringBuilder md = new StringBuilder("| domain | compressor | m_max | full attention | FM | IM | IMDC | "
                + "IM vs FM | IMDC vs FM |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        ReportData.group(ppl.stream().filter(r -> !r.method().equals("full")).toList(),
                r -> r.domain() + "|" + r.compressor() + "|" + String.format(java.util.Locale.ROOT, "%06d", r.memory())).values().forEach(g -> {
                    ResultRow any = g.getFirst();
                    OptionalDouble full = ReportData.value(ppl.stream().filter(r -> r.domain().equals(any.domain())
                            && r.method().equals("full")).toList(), "full");
                    OptionalDouble fm = ReportData.value(g, "fm"), im = ReportData.value(g, "im"),
                            imdc = ReportData.value(g, "imdc");
                    md.append("| ").append(any.domain()).append(" | ").append(any.compressor()).append(" | ")
                            .append(any.memory()).append(" | ").append(fmt(full, "%.1f")).append(" | ")
                            .append(fmt(fm, "%.1f")).append(" | ").append(fmt(im, "%.1f")).append(" | ")
                            .append(fmt(imdc, "%.1f")).append(" | ").append(ReportData.change(im, fm)).append(" | ")
                            .append(ReportData.change(imdc, fm)).append(" |\n");
                });
        return md.toString();
    }

    /** The ablation: per function, TTFT (measured, modeled) and perplexity of IM and IMDC, FM first. */
    static String ablation(List<ResultRow> rows) {
        List<ResultRow> all = rows.stream().filter(r -> r.sweep().startsWith("ablation")).toList();
        if (all.isEmpty()) {
            return "";
        }
        List<String> functions = all.stream().map(r -> r.method().equals("fm") ? "" : r.function()).distinct()
                .sorted(Comparator.comparing((String f) -> !f.isEmpty()).thenComparing(Captions.functionOrder()))
                .toList();
        StringBuilder md = new StringBuilder("| function | method | TTFT measured (s) | TTFT modeled (s) | "
                + "perplexity | TTFT vs FM (measured) | perplexity vs FM |\n|---|---|---:|---:|---:|---:|---:|\n");
        OptionalDouble fmTtft = metric(all, "fm", "", "ttft_ms", "measured"), fmPpl = metric(all, "fm", "", "ppl",
                "measured");
        for (String f : functions) {
            for (String m : METHODS) {
                if (f.isEmpty() != m.equals("fm")) {
                    continue;
                }
                OptionalDouble t = metric(all, m, f, "ttft_ms", "measured"), tm = metric(all, m, f, "ttft_ms",
                        "modeled"), p = metric(all, m, f, "ppl", "measured");
                if (t.isEmpty() && tm.isEmpty() && p.isEmpty()) {
                    continue;
                }
                md.append("| ").append(f.isEmpty() ? "-" : f).append(" | ").append(m.toUpperCase()).append(" | ")
                        .append(fmt(t.isPresent() ? OptionalDouble.of(t.getAsDouble() / 1000) : t, "%.3f"))
                        .append(" | ")
                        .append(fmt(tm.isPresent() ? OptionalDouble.of(tm.getAsDouble() / 1000) : tm, "%.3f"))
                        .append(" | ").append(fmt(p, "%.1f")).append(" | ").append(ReportData.change(t, fmTtft))
                        .append(" | ").append(ReportData.change(p, fmPpl)).append(" |\n");
            }
        }
        return md.toString();
    }

    private static OptionalDouble metric(List<ResultRow> rows, String method, String function, String metric,
                                         String source) {
        return ReportData.value(rows.stream().filter(r -> r.function().equals(function) && r.metric().equals(metric)
                && r.source().equals(source)).toList(), method);
    }

    /** Rows by step for one metric, one column per compressor. */
    private static String stepTable(List<ResultRow> rows, String stepName, String what, double scale, String format) {
        if (rows.isEmpty()) {
            return "";
        }
        Map<String, List<ResultRow>> byCompressor = ReportData.group(rows, ResultRow::compressor);
        StringBuilder md = new StringBuilder("| " + stepName + " |");
        byCompressor.keySet().forEach(c -> md.append(' ').append(c).append(": ").append(what).append(" |"));
        md.append("\n|---:|").append("---:|".repeat(byCompressor.size())).append('\n');
        new TreeSet<>(rows.stream().map(ResultRow::step).toList()).forEach(step -> {
            md.append("| ").append(step).append(" |");
            byCompressor.values().forEach(g -> md.append(' ').append(g.stream().filter(r -> r.step() == step)
                    .findFirst().map(r -> fmt(r.value() * scale, format)).orElse("-")).append(" |"));
            md.append('\n');
        });
        return md.toString();
    }
}
