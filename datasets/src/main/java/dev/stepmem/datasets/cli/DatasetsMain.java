package dev.stepmem.datasets.cli;

import dev.stepmem.datasets.DatasetException;
import dev.stepmem.model.load.CheckpointException;
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

    /** Runs a command line and returns its exit code: 0 ok, 1 failed, 2 bad usage. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new DatasetsMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (isUserError(e) && !Boolean.getBoolean("stepmem.stacktraces")) {
                cmd.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** Problems with packages, files, flags or the network: the message is the whole story. */
    private static boolean isUserError(Exception e) {
        return e instanceof DatasetException || e instanceof CheckpointException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof java.io.UncheckedIOException;
    }
}
