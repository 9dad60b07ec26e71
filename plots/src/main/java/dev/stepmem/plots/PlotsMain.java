package dev.stepmem.plots;

import dev.stepmem.exit.ExitCodes;
import dev.stepmem.io.AtomicFile;
import dev.stepmem.io.OutputChecks;
import dev.stepmem.results.ResultRow;
import dev.stepmem.results.ResultsCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        System.exit(ExitCodes.run(new CommandLine(new PlotsMain()), ExitCodes.engineErrors(), args));
    }

    /**
     * All or nothing: every figure is rendered into a staging folder first; only when all of them
     * and the report succeeded are they copied into place (each file atomically), so a failed run
     * leaves the output folder and the report exactly as they were.
     */
    @Override
    public Integer call() {
        List<ResultRow> rows = new ArrayList<>();
        for (Path in : inputs) {
            if (!Files.isReadable(in) || Files.isDirectory(in)) {
                throw new IllegalArgumentException(in + ": no such readable file");
            }
            rows.addAll(ResultsCsv.read(in));
        }
        OutputChecks.requireWritableFolder(out, "--out " + out);
        if (report != null) {
            OutputChecks.requireWritable(report, "--report");
        }
        Path staging = createStaging();
        try {
            java.util.Set<String> drawn = new java.util.LinkedHashSet<>();
            List<String> failed = new ArrayList<>();
            List<Path> staged = new ArrayList<>();
            List<String> skipped = new ArrayList<>(); // said only by a run that succeeds: an error stays one line
            for (Figure f : FIGURES) {
                if (rows.stream().noneMatch(r -> r.sweep().startsWith(f.sweepPrefix()))) {
                    skipped.add("skip " + f.file() + ": no " + f.sweepPrefix() + " rows");
                    continue;
                }
                try { // a figure whose sweep lacks a metric is reported after the others are tried
                    staged.addAll(f.renderer().apply(rows).save(staging.resolve(f.file())));
                    drawn.add(f.file());
                } catch (IllegalArgumentException e) {
                    failed.add(f.file() + ": " + e.getMessage());
                }
            }
            if (!failed.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", failed) + " (nothing was written)");
            }
            if (drawn.isEmpty()) {
                throw new IllegalArgumentException("none of the figures has rows in " + inputs);
            }
            String reportText = report == null ? null : reportText(rows, drawn);
            skipped.forEach(System.err::println);
            createDirectories(out);
            for (Path p : staged) {
                Path target = out.resolve(p.getFileName().toString());
                AtomicFile.write(target, o -> Files.copy(p, o));
                System.out.println("wrote " + target);
            }
            if (reportText != null) {
                System.out.println("wrote " + Report.save(report, reportText));
            }
        } finally {
            deleteTree(staging);
        }
        return 0;
    }

    private static Path createStaging() {
        try {
            return Files.createTempDirectory("stepmem-plots-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging folder in " + System.getProperty("java.io.tmpdir")
                    + ": " + e.getMessage(), e);
        }
    }

    private String reportText(List<ResultRow> rows, java.util.Set<String> drawn) {
        Path from = report.toAbsolutePath().getParent();
        String figures = from.relativize(out.toAbsolutePath()).toString().replace('\\', '/');
        String command = "java -jar plots/target/stepmem-plots.jar " + String.join(" ", inputs.stream()
                .map(Path::toString).toList()) + " --out " + out + " --report " + report;
        return Report.render(rows, drawn, figures.isEmpty() ? "." : figures, command);
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("note: could not remove the staging folder " + dir + ": " + e.getMessage());
        }
    }
}
