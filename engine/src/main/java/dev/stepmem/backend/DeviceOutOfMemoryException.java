package dev.stepmem.backend;

/**
 * An allocation that would take a backend past its memory capacity. A sweep records it as an
 * out-of-memory result (with the bytes it needed) instead of crashing.
 */
public final class DeviceOutOfMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String label;
    private final long requested;
    private final long inUse;
    private final long capacity;

    public DeviceOutOfMemoryException(String label, long requested, long inUse, long capacity) {
        super(String.format("out of device memory: %s needs %,d bytes with %,d of %,d in use (short by %,d)",
                label, requested, inUse, capacity, requested + inUse - capacity));
        this.label = label;
        this.requested = requested;
        this.inUse = inUse;
        this.capacity = capacity;
    }

    public String label() {
        return label;
    }

    public long requested() {
        return requested;
    }

    /** Bytes that would have been held had the allocation succeeded. */
    public long needed() {
        return requested + inUse;
    }

    public long capacity() {
        return capacity;
    }
}
