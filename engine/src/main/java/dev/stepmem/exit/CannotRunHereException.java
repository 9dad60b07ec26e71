package dev.stepmem.exit;

/**
 * The input is fine but this machine cannot run it now: too large for its memory, a device, tool
 * or commit that is missing, or a results file another process is writing. Exit code 3.
 */
public class CannotRunHereException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CannotRunHereException(String message) {
        super(message);
    }
}
