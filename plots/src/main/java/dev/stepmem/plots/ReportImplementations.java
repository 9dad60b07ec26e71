package dev.stepmem.plots;

import static dev.stepmem.plots.ReportData.fmt;

import dev.stepmem.results.ResultRow;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Fig 4's two implementations at the headline setting, in words: how much of IMDC's speed-up over
 * FM comes from the paper's eager code and how much an efficient engine keeps. Computed from the
 * modeled rows; empty when either implementation's rows are missing.
 */
final class ReportImplementations {
    private ReportImplementations() {
    }

    static final String PAPER_CODE = "reference-eager", EFFICIENT = "efficient";

    static String headline(List<ResultRow> rows) {
        List<ResultRow> at = ReportFindings.headlineRows(rows).stream().filter(r -> r.metric().equals("ttft_ms")).toList();
        OptionalDouble fmRef = value(at, PAPER_CODE, "fm"), imdcRef = value(at, PAPER_CODE, "imdc");
        OptionalDouble fmEff = value(at, EFFICIENT, "fm"), imdcEff = value(at, EFFICIENT, "imdc");
        if (fmRef.isEmpty() || imdcRef.isEmpty() || fmEff.isEmpty() || imdcEff.isEmpty()) {
            return "";
        }
        double fr = fmRef.getAsDouble() / 1e3, ir = imdcRef.getAsDouble() / 1e3;
        double fe = fmEff.getAsDouble() / 1e3, ie = imdcEff.getAsDouble() / 1e3;
        double savedRef = fr - ir, savedEff = fe - ie;
        return "**Where IMDC's speed-up comes from.** At the headline setting (A800, SnapKV with eager attention, "
                + "c = m_max = 1024, L = 32768), the paper's code as modeled (`" + PAPER_CODE + "`, fitted on the "
                + "paper's A800 bars, [docs/sim.md](../docs/sim.md)) gives FM " + fmt(fr, "%.2f") + " s against IMDC "
                + fmt(ir, "%.2f") + " s, FM/IMDC " + fmt(fr / ir, "%.2fx") + " (paper: about "
                + fmt(PaperNumbers.FM_OVER_IMDC, "%.2fx") + "). An efficient engine on the same device profile (`"
                + EFFICIENT + "`) gives FM " + fmt(fe, "%.2f") + " s against IMDC " + fmt(ie, "%.2f") + " s, FM/IMDC "
                + fmt(fe / ie, "%.2fx") + ". IMDC saves " + fmt(savedRef, "%.2f") + " s in the paper's code and "
                + fmt(savedEff, "%.2f") + " s in the efficient engine: " + fmt(100 * (1 - savedEff / savedRef), "%.0f")
                + "% of the saving is work only the eager reference code does (attention for every memory row as "
                + "well as the chunk's, a dozen passes over each bf16/fp32 map, SnapKV over the kept maps, a dispatch "
                + "per PyTorch op), which grows with the memory held, so IMDC's smaller memory removes it. Of the "
                + fmt(fr / ir, "%.2fx") + ", an efficient engine keeps " + fmt(fe / ie, "%.2fx") + ". The RTX 3090 "
                + "bars were held out of the fit and predicted before any comparison "
                + "([fig4-rtx3090-prediction.md](fig4-rtx3090-prediction.md)).\n\n";
    }

    private static OptionalDouble value(List<ResultRow> rows, String implementation, String method) {
        return ReportData.value(rows.stream().filter(r -> ReportData.implementation(r).equals(implementation)).toList(),
                method);
    }
}
