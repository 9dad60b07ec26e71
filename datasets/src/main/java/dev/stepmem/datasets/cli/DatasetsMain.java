package dev.stepmem.datasets.cli;

import dev.stepmem.datasets.DatasetException;
import dev.stepmem.exit.ExitCodes;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `datasets`: builds, describes and samples the evaluation corpora. One class per subcommand. */
@Command(name = "datasets", mixinStandardHelpOptions = true, version = "stepmem datasets 0.1.0",
        description = {"Long-document evaluation corpora built from Debian packages: github (Go, Rust, Java "
                + "standard libraries), arxiv (LaTeX papers, templates and manuals), books (Austen, the KJV).",
                "Data lives in $STEPMEM_CACHE/datasets (else $XDG_CACHE_HOME/stepmem/datasets, else "
                        + "~/.cache/stepmem/datasets) unless --data says otherwise."},
        subcommands = {BuildCommand.class, StatsCommand.class, SampleCommand.class, CommandLine.HelpCommand.class})
public final class DatasetsMain {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code ({@link ExitCodes}: 0 ok, 1 failed, 2 bad usage, 3 cannot run here). */
    public static int run(String... args) {
        List<Class<? extends Exception>> userErrors = new ArrayList<>(ExitCodes.engineErrors());
        userErrors.add(DatasetException.class); // packages, files, the network: the message is the whole story
        return ExitCodes.run(new CommandLine(new DatasetsMain()), userErrors, args);
    }
}
