package dev.stepmem.cli;

import dev.stepmem.exit.ExitCodes;
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

    /** Runs a command line and returns its exit code ({@link ExitCodes}: 0 ok, 1 failed, 2 bad usage, 3 cannot run here). */
    public static int run(String... args) {
        return ExitCodes.run(new CommandLine(new Main()), ExitCodes.engineErrors(), args);
    }
}
