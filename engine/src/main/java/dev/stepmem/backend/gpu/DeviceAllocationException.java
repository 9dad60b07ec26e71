package dev.stepmem.backend.gpu;

/** The device refused an allocation that the memory ledger had allowed (its real memory is smaller). */
public final class DeviceAllocationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeviceAllocationException(String message) {
        super(message);
    }
}
