package dev.stepmem.backend.gpu;

import java.lang.foreign.MemorySegment;
import java.util.OptionalLong;

/**
 * The little a GPU API has to provide for {@link GpuBackend}: memory, copies, kernels, launches.
 * Everything else (which kernel, which arguments, which geometry) is shared op-level code, so the
 * part that only a real GPU could test stays this thin. Implementations: OpenCL through JOCL
 * (run in the tests on PoCL and under Oclgrind) and CUDA through the JCuda driver API.
 *
 * <p>Launch geometry is OpenCL's: {@code global[d]} work-items in total along dimension d, a
 * multiple of {@code local[d]}, the work-group size; CUDA launches global[d] / local[d] blocks of
 * local[d] threads. Kernel arguments are {@link DeviceBuffer}, {@link Integer} or {@link Float}.
 * Calls are not thread-safe (a backend is driven by one thread).
 */
public interface DeviceRuntime extends AutoCloseable {

    /** "API: platform / device", one line. */
    String description();

    /** An uninitialized buffer; {@link DeviceAllocationException} when the device has no room. */
    DeviceBuffer allocate(long bytes);

    void free(DeviceBuffer buffer);

    /** Host -> device: all of {@code src} (native memory) to dst at byte offset dstOffset. */
    void write(DeviceBuffer dst, long dstOffset, MemorySegment src);

    /** Device -> host: {@code dst.byteSize()} bytes from src at byte offset srcOffset into dst (native memory). */
    void read(DeviceBuffer src, long srcOffset, MemorySegment dst);

    /** Device -> device copy of {@code bytes} bytes. */
    void copy(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long bytes);

    /** A kernel of one of {@link KernelCatalog}'s programs (compiled or loaded once, then cached). */
    DeviceKernel kernel(String program, String kernel);

    /** Enqueues one launch; it runs in order with every other call of this runtime. */
    void launch(DeviceKernel kernel, int[] global, int[] local, Object... args);

    /** Waits for everything enqueued. */
    void finish();

    /** Device time of {@code work} in milliseconds (CUDA events; OpenCL: host clock around a finish). */
    double elapsedMillis(Runnable work);

    /** The driver's free device memory in bytes, where the API reports it (CUDA: cuMemGetInfo). */
    OptionalLong driverFreeBytes();

    @Override
    void close();
}
