package dev.stepmem.backend.gpu;

/** A compiled kernel entry point of one {@link DeviceRuntime}, ready to launch. */
public interface DeviceKernel {
    /** "program/kernel", for error messages. */
    String name();
}
