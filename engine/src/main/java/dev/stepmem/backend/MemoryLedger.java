package dev.stepmem.backend;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the bytes a backend holds: weights, activations, KV memory, attention scores. Every
 * {@link Backend#allocate} and {@link Backend#upload} is charged here and every free released,
 * so current and peak bytes are exact for the code path that ran. With a capacity (a GPU
 * profile's usable memory), an allocation that would exceed it fails with
 * {@link DeviceOutOfMemoryException} before anything is allocated.
 */
public final class MemoryLedger {
    public static final long UNLIMITED = Long.MAX_VALUE;

    private final long capacity;
    private long current;
    private long peak;
    private final Map<String, Long> byCategory = new TreeMap<>();
    private final Map<String, Long> peakByCategory = new TreeMap<>();

    public MemoryLedger() {
        this(UNLIMITED);
    }

    public MemoryLedger(long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("memory capacity must be positive, got " + capacityBytes + " bytes");
        }
        this.capacity = capacityBytes;
    }

    /** The category of a buffer is its label up to the first '.', e.g. "kv.k.3" -> "kv". */
    public static String category(String label) {
        int dot = label.indexOf('.');
        return dot < 0 ? label : label.substring(0, dot);
    }

    public synchronized void charge(String label, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative allocation of " + bytes + " bytes for " + label);
        }
        if (bytes > capacity - current) {
            throw new DeviceOutOfMemoryException(label, bytes, current, capacity);
        }
        current += bytes;
        peak = Math.max(peak, current);
        String cat = category(label);
        long now = byCategory.merge(cat, bytes, Long::sum);
        peakByCategory.merge(cat, now, Math::max);
    }

    public synchronized void release(String label, long bytes) {
        String cat = category(label);
        long held = byCategory.getOrDefault(cat, 0L);
        if (bytes > held || bytes > current) {
            throw new IllegalStateException("releasing " + bytes + " bytes of " + label + " but only " + held
                    + " are held in category " + cat);
        }
        current -= bytes;
        byCategory.put(cat, held - bytes);
    }

    public synchronized long current() {
        return current;
    }

    public synchronized long peak() {
        return peak;
    }

    public long capacity() {
        return capacity;
    }

    /** Starts a new peak measurement from what is held now (e.g. after loading weights). */
    public synchronized void resetPeak() {
        peak = current;
        peakByCategory.clear();
        peakByCategory.putAll(byCategory);
    }

    /** Bytes held now per category (weights, kv, x, ...). */
    public synchronized Map<String, Long> currentByCategory() {
        return new TreeMap<>(byCategory);
    }

    /** Largest bytes each category held since the last reset (the peaks may be at different times). */
    public synchronized Map<String, Long> peakByCategory() {
        return new TreeMap<>(peakByCategory);
    }
}
