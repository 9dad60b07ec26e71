package dev.stepmem.bench.gate;

/** Why a gate run stops early: one line for the user and the exit code it ends with. */
final class GateException extends RuntimeException {
    /** A regression, or the working tree's build cannot be timed. */
    static final int REGRESSION = 1;
    /** Bad flags or values. */
    static final int USAGE = 2;
    /** No verdict possible: the reference commit or a device is unavailable, or nothing could be compared. */
    static final int NO_VERDICT = 3;

    final int exitCode;

    GateException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }
}
