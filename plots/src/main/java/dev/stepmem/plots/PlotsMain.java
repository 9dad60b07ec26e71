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

    /** Figure name -> renderer; a figure is drawn when its sweep's rows are present. */
    static final List<Figure> FIGURES = List.of(
            new Figure("fig2-schedules", "fig2", Fig2Schedules::render),
            new Figure("fig4-time-memory", "fig4", Fig4TimeMemory::render));

    record Figure(String file, String sweepPrefix, Function<List<ResultRow>, FigureCanvas> renderer) {
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
        int drawn = 0;
        for (Figure f : FIGURES) {
            if (rows.stream().noneMatch(r -> r.sweep().startsWith(f.sweepPrefix()))) {
                System.err.println("skip " + f.file() + ": no " + f.sweepPrefix() + " rows");
                continue;
            }
            for (Path p : f.renderer().apply(rows).save(out.resolve(f.file()))) {
                System.out.println("wrote " + p);
            }
            drawn++;
        }
        if (drawn == 0) {
            throw new IllegalArgumentException("none of the figures has rows in " + inputs);
        }
        return 0;
    }
}
