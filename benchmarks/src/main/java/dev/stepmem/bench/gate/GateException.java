package dev.stepmem.bench.gate;

/** A gate run that cannot give a verdict (no baseline, an unreadable file, a failed measurement): one line, exit 3. */
final class GateException extends RuntimeException {
    GateException(String message) {
        super(message);
    }

    GateException(String message, Throwable cause) {
        super(message, cause);
    }
}
