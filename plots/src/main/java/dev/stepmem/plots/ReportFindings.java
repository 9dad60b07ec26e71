package dev.stepmem.plots;

import static dev.stepmem.plots.ReportData.fmt;
import static dev.stepmem.plots.ReportData.range;

import dev.stepmem.results.ResultRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The paper's qualitative findings checked against the rows: IM and IMDC faster than FM, IMDC the
 * lowest peak memory, IM/IMDC perplexity within a few percent of FM's, the headline ratios, Table 4,
 * and the analysis figures' trends. Each gives what the paper says, what the rows say, and a verdict
 * that is computed, never written by hand.
 */
final class ReportFindings {
    private ReportFindings() {
    }

    /** One line of the findings table. */
    record Finding(String claim, String paper, String here, String verdict) {
    }

    static List<Finding> all(List<ResultRow> rows) {
        List<Finding> out = new ArrayList<>();
        for (String source : sources(rows)) {
            List<ResultRow> ttft = ReportData.rows(rows, "fig4", "ttft_ms").stream()
                    .filter(r -> source(r).equals(source)).toList();
            List<ResultRow> peak = ReportData.rows(rows, "fig4", "peak_bytes").stream()
                    .filter(r -> source(r).equals(source)).toList();
            out.add(faster(ttft, "im", source));
            out.add(faster(ttft, "imdc", source));
            out.add(lowestMemory(peak, source));
        }
        out.add(headline(rows));
        out.add(perplexity(rows));
        out.add(table4(rows));
        out.add(memoryAttentionRises(rows));
        out.add(memoryFromLastChunks(rows));
        return out;
    }

    /** measured, then modeled per implementation profile, the paper's code first ("modeled, reference-eager"). */
    private static List<String> sources(List<ResultRow> rows) {
        java.util.TreeSet<String> implementations = new java.util.TreeSet<>(Fig4TimeMemory.PAPER_CODE_FIRST);
        ReportData.rows(rows, "fig4", "ttft_ms").stream().filter(r -> r.source().equals("modeled"))
                .forEach(r -> implementations.add(ReportData.implementation(r)));
        List<String> out = new ArrayList<>(List.of("measured"));
        implementations.forEach(impl -> out.add(impl.isEmpty() ? "modeled" : "modeled, " + impl));
        if (implementations.isEmpty()) {
            out.add("modeled");
        }
        return out;
    }

    /** A row's source as the findings name it: measured, modeled, or modeled with its implementation. */
    private static String source(ResultRow r) {
        String impl = ReportData.implementation(r);
        return impl.isEmpty() ? r.source() : r.source() + ", " + impl;
    }

    /** Groups of one configuration per m_max: the FM/IM/IMDC bars of one Fig 4 panel. */
    private static Map<String, List<ResultRow>> configs(List<ResultRow> rows) {
        return ReportData.group(rows, r -> ReportData.panel(r) + ", m_max = " + r.memory());
    }

    private static Finding faster(List<ResultRow> ttft, String method, String source) {
        String claim = method.toUpperCase() + " faster than FM (TTFT, Fig 4, " + source + ")";
        String paper = method.equals("im") ? "FM/IM " + fmt(PaperNumbers.FM_OVER_IM, "%.2fx")
                : "FM/IMDC about " + fmt(PaperNumbers.FM_OVER_IMDC, "%.2fx");
        paper += " at the headline setting; faster in every Fig 4 bar group";
        List<Double> ratios = new ArrayList<>();
        int faster = 0, withinSpread = 0;
        for (List<ResultRow> g : configs(ttft).values()) {
            OptionalDouble fm = ReportData.value(g, "fm"), x = ReportData.value(g, method);
            if (fm.isEmpty() || x.isEmpty()) {
                continue;
            }
            ratios.add(fm.getAsDouble() / x.getAsDouble());
            if (x.getAsDouble() < fm.getAsDouble()) {
                faster++;
            } else if (x.getAsDouble() - fm.getAsDouble() <= spread(g, method) + spread(g, "fm")) {
                withinSpread++; // slower, but by less than the runs' own max - min: not a measurable difference
            }
        }
        if (ratios.isEmpty()) {
            return new Finding(claim, paper, "no " + source + " fig4 rows", "not run");
        }
        String here = "FM/" + method.toUpperCase() + " " + range(ratios, "%.2fx") + " over " + ratios.size()
                + " configurations (median " + fmt(median(ratios), "%.2fx") + ")";
        String verdict = faster == ratios.size() ? "holds"
                : "holds in " + faster + " of " + ratios.size() + (withinSpread > 0 ? "; " + withinSpread
                        + " slower within the run-to-run spread" : "");
        return new Finding(claim, paper, here, verdict);
    }

    private static double spread(List<ResultRow> g, String method) {
        return ReportData.first(g, r -> r.method().equals(method)).map(ResultRow::spread)
                .filter(s -> !Double.isNaN(s)).orElse(0.0);
    }

    private static Finding lowestMemory(List<ResultRow> peak, String source) {
        String claim = "IMDC has the lowest peak memory (Fig 4, " + source + ")";
        String paper = fmt(100 * PaperNumbers.IMDC_MEMORY_SAVING, "%.1f%%") + " less than FM at the headline setting";
        int lowest = 0, total = 0;
        List<Double> savings = new ArrayList<>();
        for (List<ResultRow> g : configs(peak).values()) {
            OptionalDouble fm = ReportData.value(g, "fm"), im = ReportData.value(g, "im"),
                    imdc = ReportData.value(g, "imdc");
            if (fm.isEmpty() || imdc.isEmpty()) {
                continue;
            }
            total++;
            savings.add(100 * (1 - imdc.getAsDouble() / fm.getAsDouble()));
            if (imdc.getAsDouble() <= fm.getAsDouble() && (im.isEmpty() || imdc.getAsDouble() <= im.getAsDouble())) {
                lowest++;
            }
        }
        if (total == 0) {
            return new Finding(claim, paper, "no " + source + " fig4 rows", "not run");
        }
        return new Finding(claim, paper, "lowest in " + lowest + " of " + total + " configurations; saves "
                + range(savings, "%.1f%%") + " against FM", lowest == total ? "holds" : "holds in " + lowest + " of "
                + total);
    }

    private static Finding headline(List<ResultRow> rows) {
        String claim = "Headline: A800, SnapKV, c = m_max = 1024, LLaMA-2-7B (modeled here)";
        String paper = "FM/IM " + fmt(PaperNumbers.FM_OVER_IM, "%.2fx") + ", FM/IMDC ~" + fmt(PaperNumbers.FM_OVER_IMDC,
                "%.2fx") + ", IMDC memory -" + fmt(100 * PaperNumbers.IMDC_MEMORY_SAVING, "%.1f%%");
        List<ResultRow> at = headlineRows(rows);
        java.util.TreeSet<String> implementations = new java.util.TreeSet<>(Fig4TimeMemory.PAPER_CODE_FIRST);
        at.forEach(r -> implementations.add(ReportData.implementation(r)));
        List<String> parts = new ArrayList<>();
        String verdict = null;
        for (String impl : implementations) {
            List<ResultRow> mine = at.stream().filter(r -> ReportData.implementation(r).equals(impl)).toList();
            List<ResultRow> ttft = mine.stream().filter(r -> r.metric().equals("ttft_ms")).toList();
            List<ResultRow> peak = mine.stream().filter(r -> r.metric().equals("peak_bytes")).toList();
            OptionalDouble fm = ReportData.value(ttft, "fm"), im = ReportData.value(ttft, "im"),
                    imdc = ReportData.value(ttft, "imdc");
            if (fm.isEmpty() || im.isEmpty() || imdc.isEmpty()) {
                continue;
            }
            double fmIm = fm.getAsDouble() / im.getAsDouble(), fmImdc = fm.getAsDouble() / imdc.getAsDouble();
            String memory = ReportData.saving(ReportData.value(peak, "imdc"), ReportData.value(peak, "fm"));
            parts.add((impl.isEmpty() ? "" : impl + ": ") + "FM/IM " + fmt(fmIm, "%.2fx") + ", FM/IMDC "
                    + fmt(fmImdc, "%.2fx") + ", IMDC memory -" + memory);
            if (verdict == null) { // the paper's code when modeled, else the only implementation
                verdict = (fmIm >= 0.9 * PaperNumbers.FM_OVER_IM ? "time agrees" : "time: same direction, smaller ratio")
                        + (impl.isEmpty() ? "" : " (" + impl + ")") + "; memory: see Fig 4 below";
            }
        }
        if (parts.isEmpty()) {
            return new Finding(claim, paper, "no modeled fig4 rows at this setting", "not run");
        }
        return new Finding(claim, paper, String.join("; ", parts), verdict);
    }

    /** The modeled fig4 rows at the headline setting. */
    static List<ResultRow> headlineRows(List<ResultRow> rows) {
        return rows.stream().filter(r -> r.sweep().startsWith("fig4") && r.source().equals("modeled")
                && r.device().equals(PaperNumbers.HEADLINE_PROFILE) && r.compressor().equals("snapkv")
                && r.chunk() == PaperNumbers.HEADLINE_CHUNK && r.memory() == PaperNumbers.HEADLINE_MEMORY).toList();
    }

    private static Finding perplexity(List<ResultRow> rows) {
        String claim = "IM and IMDC perplexity no more than " + fmt(100 * PaperNumbers.PPL_TOLERANCE, "%.0f%%")
                + " above FM's (Fig 5)";
        String paper = "comparable perplexity (Fig 5)";
        List<ResultRow> ppl = ReportData.rows(rows, "fig5", "ppl");
        List<Double> changes = new ArrayList<>();
        int within = 0, better = 0;
        for (List<ResultRow> g : ReportData.group(ppl.stream().filter(r -> !r.method().equals("full")).toList(),
                r -> r.domain() + " " + r.compressor() + " " + r.memory()).values()) {
            OptionalDouble fm = ReportData.value(g, "fm");
            for (String m : new String[] {"im", "imdc"}) {
                OptionalDouble x = ReportData.value(g, m);
                if (fm.isPresent() && x.isPresent()) {
                    double c = x.getAsDouble() / fm.getAsDouble() - 1;
                    changes.add(100 * c);
                    within += c <= PaperNumbers.PPL_TOLERANCE ? 1 : 0;
                    better += c < 0 ? 1 : 0;
                }
            }
        }
        if (changes.isEmpty()) {
            return new Finding(claim, paper, "no fig5 rows", "not run");
        }
        return new Finding(claim, paper, "IM/IMDC against FM: " + range(changes, "%+.1f%%") + " over "
                + changes.size() + " pairs (domain x compressor x m_max); lower than FM's in " + better,
                within == changes.size() ? "holds" : "holds in " + within + " of " + changes.size());
    }

    private static Finding table4(List<ResultRow> rows) {
        String claim = "Table 4: one 1M-token input";
        String paper = "full attention OOM; IMDC " + fmt(PaperNumbers.TABLE4_IMDC_SECONDS, "%.0f") + " s vs FM "
                + fmt(PaperNumbers.TABLE4_FM_SECONDS, "%.0f") + " s ("
                + fmt(PaperNumbers.TABLE4_FM_SECONDS / PaperNumbers.TABLE4_IMDC_SECONDS, "%.2fx") + "); PPL ~"
                + fmt(PaperNumbers.TABLE4_IMDC_PPL, "%.2f");
        List<ResultRow> modeled = ReportData.rows(rows, "table4", "ttft_ms").stream()
                .filter(r -> r.source().equals("modeled")).toList();
        if (modeled.isEmpty()) {
            return new Finding(claim, paper, "no modeled table4 rows", "not run");
        }
        boolean fullOom = modeled.stream().anyMatch(r -> r.method().equals("full") && r.status().equals("oom"));
        List<String> ratios = new ArrayList<>();
        boolean faster = true;
        for (var e : ReportData.group(modeled.stream().filter(r -> !r.method().equals("full")).toList(),
                ResultRow::compressor).entrySet()) {
            OptionalDouble fm = ReportData.value(e.getValue(), "fm"), imdc = ReportData.value(e.getValue(), "imdc");
            ratios.add(e.getKey() + " (" + e.getValue().getFirst().attention() + ") FM/IMDC "
                    + ReportData.ratio(fm, imdc));
            faster &= fm.isPresent() && imdc.isPresent() && imdc.getAsDouble() < fm.getAsDouble();
        }
        String here = "modeled " + modeled.getFirst().device() + ", L = " + modeled.getFirst().length() + ": full "
                + (fullOom ? "OOM" : "fits") + "; " + String.join(", ", ratios);
        List<ResultRow> ppl = ReportData.rows(rows, "table4", "ppl");
        OptionalDouble pFm = ReportData.value(ppl, "fm"), pImdc = ReportData.value(ppl, "imdc"),
                pFull = ReportData.value(ppl, "full");
        if (pImdc.isPresent()) {
            here += "; measured PPL (stories15M, L = " + ppl.getFirst().length() + "): IMDC " + fmt(pImdc, "%.1f")
                    + ", FM " + fmt(pFm, "%.1f") + ", full " + fmt(pFull, "%.1f");
        }
        return new Finding(claim, paper, here, (fullOom ? "OOM agrees" : "full attention fits: differs")
                + (faster ? "; IMDC faster, by less" : "; IMDC not faster everywhere"));
    }

    private static Finding memoryAttentionRises(List<ResultRow> rows) {
        String claim = "Fig 1a: attention on memory rises with the step";
        List<ResultRow> a = ReportData.rows(rows, "fig1", "mem_attention");
        if (a.isEmpty()) {
            return new Finding(claim, "rises (early memory matters less)", "no fig1 rows", "not run");
        }
        List<String> parts = new ArrayList<>();
        int rising = 0, total = 0;
        for (var e : ReportData.group(a, ResultRow::compressor).entrySet()) {
            List<ResultRow> s = e.getValue().stream().sorted(java.util.Comparator.comparingInt(ResultRow::step)).toList();
            int third = Math.max(1, s.size() / 3);
            double early = s.subList(0, third).stream().mapToDouble(ResultRow::value).average().orElseThrow();
            double late = s.subList(s.size() - third, s.size()).stream().mapToDouble(ResultRow::value).average()
                    .orElseThrow();
            parts.add(e.getKey() + ": last third / first third of the steps = " + fmt(late / early, "%.2f"));
            total++;
            rising += late > early ? 1 : 0;
        }
        return new Finding(claim, "rises (early memory matters less)", String.join("; ", parts),
                rising == total ? "holds" : "holds for " + rising + " of " + total + " compressors");
    }

    private static Finding memoryFromLastChunks(List<ResultRow> rows) {
        String claim = "Fig 1b: most of the final memory comes from the last chunks";
        List<ResultRow> f = ReportData.rows(rows, "fig1", "memory_fraction").stream().filter(r -> r.layer() == -1)
                .toList();
        if (f.isEmpty()) {
            return new Finding(claim, "most from the last chunks", "no fig1 rows", "not run");
        }
        List<String> parts = new ArrayList<>();
        int most = 0, total = 0;
        for (var e : ReportData.group(f, ResultRow::compressor).entrySet()) {
            int chunks = e.getValue().stream().mapToInt(ResultRow::step).max().orElseThrow() + 1;
            int quarter = Math.max(1, chunks / 4);
            double share = e.getValue().stream().filter(r -> r.step() >= chunks - quarter)
                    .mapToDouble(ResultRow::value).sum();
            parts.add(e.getKey() + ": " + fmt(100 * share, "%.0f%%") + " from the last " + quarter + " of " + chunks
                    + " chunks");
            total++;
            most += share > 0.5 ? 1 : 0;
        }
        return new Finding(claim, "most from the last chunks", String.join("; ", parts),
                most == total ? "holds" : "holds for " + most + " of " + total + " compressors");
    }

    private static double median(List<Double> xs) {
        return dev.stepmem.results.Stats.median(xs.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
