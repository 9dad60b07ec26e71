package dev.stepmem.backend.gpu;

import java.util.Locale;

/**
 * Host-device copies counted by a {@link GpuBackend}: how many writes (host -> device) and reads
 * (device -> host), and their bytes. A snapshot; {@link #since} gives the copies of one stretch
 * of work (an op, a chunk step).
 */
public record Transfers(long toDevice, long toDeviceBytes, long toHost, long toHostBytes) {
    public static final Transfers NONE = new Transfers(0, 0, 0, 0);

    /** The copies made after {@code earlier} was taken. */
    public Transfers since(Transfers earlier) {
        return new Transfers(toDevice - earlier.toDevice, toDeviceBytes - earlier.toDeviceBytes,
                toHost - earlier.toHost, toHostBytes - earlier.toHostBytes);
    }

    public Transfers plus(Transfers other) {
        return new Transfers(toDevice + other.toDevice, toDeviceBytes + other.toDeviceBytes,
                toHost + other.toHost, toHostBytes + other.toHostBytes);
    }

    /** "3 to device (1,024 B), 1 to host (4,096 B)". */
    public String describe() {
        return String.format(Locale.ROOT, "%d to device (%,d B), %d to host (%,d B)", toDevice, toDeviceBytes,
                toHost, toHostBytes);
    }
}
