package dev.stepmem.plots;

import dev.stepmem.results.ResultRow;
import dev.stepmem.results.ResultsCsv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Renders the paper's figures from results CSVs: a pure function of the files, so re-plotting
 * never re-runs anything and gives byte-identical PNG and SVG files.
 */
@Command(name = "plots", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Render the paper's figures (PNG + SVG) from results CSVs in the tidy schema.")
public final class PlotsMain implements Callable<Integer> {
    @Parameters(paramLabel = "CSV", arity = "1..*", description = "Results CSV files (the tidy schema of dev.stepmem.results).")
    List<Path> inputs;

    @Option(names = "--out", defaultValue = "plots", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Also write the report (Markdown: every figure with its table, the paper's numbers beside "
                    + "ours, the findings checked), e.g. results/REPORT.md.")
    Path report;

    /**
     * Output name (without extension) -> renderer; a figure is drawn when its sweep's rows are
     * present. Figures are PNG + SVG; Table 4 is Markdown.
     */
    static final List<Figure> FIGURES = List.of(
            new Figure("fig1a-memory-attention", "fig1", Fig1aMemoryAttention::render),
            new Figure("fig1b-memory-distribution", "fig1", Fig1bMemoryDistribution::render),
            new Figure("fig2-schedules", "fig2", Fig2Schedules::render),
            new Figure("fig4-time-memory", "fig4", Fig4TimeMemory::render),
            new Figure("fig5-perplexity", "fig5", Fig5Perplexity::render),
            new Figure("fig6-memory-heatmap", "fig1", Fig6MemoryHeatmap::render),
            new Figure("ablation-functions", "ablation", AblationFunctions::render),
            new Figure("table4-1m", "table4", Table4OneMillion::render),
            new Figure("tradeoff-compressors", TradeoffPoints.SWEEP, TradeoffCompressors::render));

    record Figure(String file, String sweepPrefix, Function<List<ResultRow>, ? extends Rendered> renderer) {
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new PlotsMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() {
        List<ResultRow> rows = new ArrayList<>();
        for (Path in : inputs) {
            if (!Files.isReadable(in)) {
                throw new IllegalArgumentException(in + ": no such readable file");
            }
            rows.addAll(ResultsCsv.read(in));
        }
        java.util.Set<String> drawn = new java.util.LinkedHashSet<>();
        List<String> failed = new ArrayList<>();
        for (Figure f : FIGURES) {
            if (rows.stream().noneMatch(r -> r.sweep().startsWith(f.sweepPrefix()))) {
                System.err.println("skip " + f.file() + ": no " + f.sweepPrefix() + " rows");
                continue;
            }
            // A figure whose sweep lacks a metric is reported, after the others are drawn.
            Rendered rendered;
            try {
                rendered = f.renderer().apply(rows);
            } catch (IllegalArgumentException e) {
                failed.add(f.file() + ": " + e.getMessage());
                continue;
            }
            for (Path p : rendered.save(out.resolve(f.file()))) {
                System.out.println("wrote " + p);
            }
            drawn.add(f.file());
        }
        if (drawn.isEmpty() && failed.isEmpty()) {
            throw new IllegalArgumentException("none of the figures has rows in " + inputs);
        }
        if (report != null && !drawn.isEmpty()) { // written even when a figure failed: it shows what was drawn
            Path from = report.toAbsolutePath().getParent();
            String figures = from.relativize(out.toAbsolutePath()).toString().replace('\\', '/');
            String command = "java -jar plots/target/stepmem-plots.jar " + String.join(" ", inputs.stream()
                    .map(Path::toString).toList()) + " --out " + out + " --report " + report;
            System.out.println("wrote " + Report.save(report, Report.render(rows, drawn, figures.isEmpty() ? "."
                    : figures, command)));
        }
        if (!failed.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", failed));
        }
        return 0;
    }
}
