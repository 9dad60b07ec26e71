package dev.stepmem.exit;

import dev.stepmem.backend.gpu.DeviceUnavailableException;
import dev.stepmem.model.load.CheckpointException;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine;

/**
 * The one exit-code scheme of every stepmem tool (README, "Exit codes"), and the picocli handlers
 * that apply it: a usage error is one line and a pointer to --help, never the whole usage; any
 * other error a user can act on is one line, no stack trace.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** bad input data or a failed check */
    public static final int INPUT = 1;
    /** a bad flag or value */
    public static final int USAGE = 2;
    /** cannot run here: too large for this machine, a missing device, tool or commit, a busy results file */
    public static final int CANNOT_RUN_HERE = 3;

    private ExitCodes() {
    }

    /**
     * Runs a command line under the scheme and returns its exit code. {@code userErrors} are the
     * exception types whose message is the whole story (exit 1); -Dstepmem.stacktraces=true shows
     * their stack traces. Sizes are checked before allocating, so running out of memory should not
     * happen; if it does, it is one line and exit 3 too (every output is written atomically, so
     * nothing is left half-written).
     */
    public static int run(CommandLine cli, List<Class<? extends Exception>> userErrors, String... args) {
        install(cli, userErrors);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            if (Boolean.getBoolean("stepmem.stacktraces")) {
                throw e;
            }
            cli.getErr().println("error: ran out of memory" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")
                    + ": this run needs more than this machine or JVM has (-Xmx in STEPMEM_JAVA_OPTS)");
            return CANNOT_RUN_HERE;
        }
    }

    private static void install(CommandLine cli, List<Class<? extends Exception>> userErrors) {
        cli.setParameterExceptionHandler((e, args) -> usageError(e.getCommandLine(), e.getMessage()));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (Boolean.getBoolean("stepmem.stacktraces")) {
                throw e;
            }
            if (e instanceof UsageException) {
                return usageError(cmd, e.getMessage());
            }
            if (e instanceof CannotRunHereException || e instanceof DeviceUnavailableException) {
                cmd.getErr().println("error: " + e.getMessage());
                return CANNOT_RUN_HERE;
            }
            if (e instanceof CheckpointException || e instanceof UncheckedIOException
                    || userErrors.stream().anyMatch(t -> t.isInstance(e))) {
                cmd.getErr().println("error: " + e.getMessage());
                return INPUT;
            }
            throw e;
        });
    }

    private static int usageError(CommandLine cmd, String message) {
        cmd.getErr().println("error: " + message + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        return USAGE;
    }

    /** The engine's user errors: bad files, data and states (IllegalArgument/IllegalState carry one-line messages). */
    public static List<Class<? extends Exception>> engineErrors() {
        return List.of(IllegalArgumentException.class, IllegalStateException.class);
    }

    /** Runs an option check; its IllegalArgumentException becomes a usage error (exit 2). */
    public static <T> T option(java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (UsageException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
