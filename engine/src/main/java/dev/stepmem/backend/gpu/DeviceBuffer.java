package dev.stepmem.backend.gpu;

/** A block of device memory owned by one {@link DeviceRuntime}. */
public interface DeviceBuffer {
    long bytes();
}
