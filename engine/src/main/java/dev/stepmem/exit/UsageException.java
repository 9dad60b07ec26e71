package dev.stepmem.exit;

/** A bad flag, value or combination of flags: exit code 2, one line and a pointer to --help. */
public class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
