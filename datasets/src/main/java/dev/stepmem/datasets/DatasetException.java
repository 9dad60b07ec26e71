package dev.stepmem.datasets;

/**
 * A dataset problem a user can act on: a missing package, no network, a malformed input line, a
 * full disk. The message names the package or file and says what to do; the CLI prints it as one
 * line without a stack trace.
 */
public class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
