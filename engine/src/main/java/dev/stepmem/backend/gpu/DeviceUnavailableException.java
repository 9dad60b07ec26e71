package dev.stepmem.backend.gpu;

/**
 * No usable device for a backend: no driver, no device, no kernels built, no match for --device.
 * The message is one line meant for the user (the CLI prints it without a stack trace).
 */
public final class DeviceUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DeviceUnavailableException(String message) {
        super(message);
    }
}
