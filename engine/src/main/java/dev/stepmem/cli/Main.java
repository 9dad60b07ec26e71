package dev.stepmem.cli;

import dev.stepmem.model.load.CheckpointException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `stepmem`: the command-line entry point. Each subcommand is one class in this package. */
@Command(name = "stepmem", mixinStandardHelpOptions = true, version = "stepmem 0.1.0",
        description = "Chunked long-context prefill with bounded memory (FM / IM / IMDC) on LLaMA-family models.",
        subcommands = {FetchCommand.class, InfoCommand.class, GenerateCommand.class, PrefillCommand.class,
                DevicesCommand.class, OpsCommand.class, CrosscheckCommand.class, SweepCommand.class,
                FrontierCommand.class, ProfilesCommand.class, CalibrateCommand.class, PasskeyCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code: 0 ok, 1 failed, 2 bad usage. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (isUserError(e) && !Boolean.getBoolean("stepmem.stacktraces")) {
                cmd.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** Bad files, flags and data: a one-line message is the whole story, no stack trace. */
    private static boolean isUserError(Exception e) {
        return e instanceof CheckpointException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof java.io.UncheckedIOException;
    }
}
