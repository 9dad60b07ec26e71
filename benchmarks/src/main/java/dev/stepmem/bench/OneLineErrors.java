package dev.stepmem.bench;

import picocli.CommandLine;

/** Runs a picocli command whose failures print as one line, "error: MESSAGE", with exit code 1. */
public final class OneLineErrors {
    private OneLineErrors() {
    }

    /** @return the exit code for System.exit */
    public static int execute(Object command, String[] args) {
        CommandLine cli = new CommandLine(command);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }
}
