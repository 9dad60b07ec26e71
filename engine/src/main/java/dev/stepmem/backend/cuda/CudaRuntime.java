package dev.stepmem.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import dev.stepmem.backend.gpu.DeviceAllocationException;
import dev.stepmem.backend.gpu.DeviceBuffer;
import dev.stepmem.backend.gpu.DeviceKernel;
import dev.stepmem.backend.gpu.DeviceRuntime;
import dev.stepmem.backend.gpu.DeviceUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;

/**
 * {@link DeviceRuntime} on the CUDA driver API through JCuda: a context on one device, modules
 * loaded from the PTX that nvcc built at package time (resources ptx/NAME.ptx, JIT-compiled by
 * the driver), the default stream. No NVRTC (JCuda's needs CUDA 12 libraries); cuBLAS is
 * called through FFM by {@link Cublas}, on the same context and stream.
 *
 * <p>NEVER RUN: no machine of this project has an NVIDIA GPU or driver. This class compiles and
 * its error path (no driver) is tested; the calls below follow the driver API's documentation
 * and the same op code runs on OpenCL in the tests, but no launch here has ever executed.
 */
public final class CudaRuntime implements DeviceRuntime {
    private static final long TRANSFER_PIECE = 1L << 30;

    private final CudaDevice device;
    private final CUcontext context = new CUcontext();
    private final Map<String, CUmodule> modules = new HashMap<>();
    private final Map<String, Kernel> kernels = new HashMap<>();

    private record Buffer(CUdeviceptr ptr, long bytes) implements DeviceBuffer {
    }

    private record Kernel(String name, CUfunction function) implements DeviceKernel {
    }

    public CudaRuntime(CudaDevice device) {
        this.device = device;
        CUdevice dev = new CUdevice();
        check(cuDeviceGet(dev, device.index()), "cuDeviceGet");
        check(cuCtxCreate(context, 0, dev), "cuCtxCreate");
    }

    /**
     * Binds this runtime's context to the calling thread. cuCtxCreate makes a new context current,
     * so with two runtimes open (the harness's cuda/cublas beside cuda/kernel-gemm) every call
     * first makes its own current: buffers, modules and the cuBLAS handle belong to one context.
     */
    void makeCurrent() {
        check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    @Override
    public String description() {
        return "CUDA: " + device.name() + " (sm_" + device.computeMajor() + device.computeMinor() + ")";
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        makeCurrent();
        CUdeviceptr ptr = new CUdeviceptr();
        int rc = cuMemAlloc(ptr, bytes);
        if (rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            throw new DeviceAllocationException("cuMemAlloc of " + bytes + " bytes: out of device memory");
        }
        check(rc, "cuMemAlloc");
        return new Buffer(ptr, bytes);
    }

    /**
     * A buffer's device address, for a library called outside JCuda (cuBLAS through FFM). JCuda
     * keeps it in NativePointerObject's protected getNativePointer; our buffers have no offset.
     */
    long address(DeviceBuffer buffer) {
        try {
            return (long) NATIVE_POINTER.invoke(own(buffer).ptr());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read a CUdeviceptr's address: " + e.getMessage(), e);
        }
    }

    private static final java.lang.reflect.Method NATIVE_POINTER = nativePointerGetter();

    private static java.lang.reflect.Method nativePointerGetter() {
        try {
            java.lang.reflect.Method m = jcuda.NativePointerObject.class.getDeclaredMethod("getNativePointer");
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("JCuda without NativePointerObject.getNativePointer", e);
        }
    }

    @Override
    public void free(DeviceBuffer buffer) {
        makeCurrent();
        check(cuMemFree(own(buffer).ptr()), "cuMemFree");
    }

    @Override
    public void write(DeviceBuffer dst, long dstOffset, MemorySegment src) {
        makeCurrent();
        Buffer b = own(dst);
        for (long done = 0; done < src.byteSize(); done += TRANSFER_PIECE) {
            long n = Math.min(TRANSFER_PIECE, src.byteSize() - done);
            check(cuMemcpyHtoD(b.ptr().withByteOffset(dstOffset + done), Pointer.to(src.asSlice(done, n).asByteBuffer()), n),
                    "cuMemcpyHtoD");
        }
    }

    @Override
    public void read(DeviceBuffer src, long srcOffset, MemorySegment dst) {
        makeCurrent();
        Buffer b = own(src);
        for (long done = 0; done < dst.byteSize(); done += TRANSFER_PIECE) {
            long n = Math.min(TRANSFER_PIECE, dst.byteSize() - done);
            check(cuMemcpyDtoH(Pointer.to(dst.asSlice(done, n).asByteBuffer()), b.ptr().withByteOffset(srcOffset + done), n),
                    "cuMemcpyDtoH");
        }
    }

    @Override
    public void copy(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long bytes) {
        makeCurrent();
        check(cuMemcpyDtoD(own(dst).ptr().withByteOffset(dstOffset), own(src).ptr().withByteOffset(srcOffset), bytes),
                "cuMemcpyDtoD");
    }

    @Override
    public DeviceKernel kernel(String program, String kernel) {
        makeCurrent();
        return kernels.computeIfAbsent(program + "/" + kernel, key -> {
            CUfunction f = new CUfunction();
            check(cuModuleGetFunction(f, module(program), kernel), "cuModuleGetFunction " + key);
            return new Kernel(key, f);
        });
    }

    private CUmodule module(String program) {
        return modules.computeIfAbsent(program, p -> {
            CUmodule m = new CUmodule();
            check(cuModuleLoadData(m, ptx(p)), "cuModuleLoadData " + p + " (PTX ISA of nvcc 13 needs an r580+ driver)");
            return m;
        });
    }

    /** The PTX of a program as a NUL-terminated string, from the jar. */
    static byte[] ptx(String program) {
        try (InputStream in = CudaRuntime.class.getClassLoader().getResourceAsStream("ptx/" + program + ".ptx")) {
            if (in == null) {
                throw new DeviceUnavailableException("no CUDA kernels in this build: ptx/" + program + ".ptx is missing"
                        + " (nvcc was not found when the jar was built)");
            }
            byte[] text = in.readAllBytes();
            byte[] z = java.util.Arrays.copyOf(text, text.length + 1);
            return z;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void launch(DeviceKernel kernel, int[] global, int[] local, Object... args) {
        makeCurrent();
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = switch (args[i]) {
                case Buffer b -> Pointer.to(b.ptr());
                case Integer v -> Pointer.to(new int[] {v});
                case Float v -> Pointer.to(new float[] {v});
                default -> throw new IllegalArgumentException("kernel " + kernel.name() + " argument " + i
                        + " of unsupported type " + args[i].getClass().getSimpleName());
            };
        }
        int[] grid = {1, 1, 1}, block = {1, 1, 1};
        for (int d = 0; d < global.length; d++) {
            if (global[d] % local[d] != 0) {
                throw new IllegalArgumentException("kernel " + kernel.name() + ": global size " + global[d]
                        + " is not a multiple of the local size " + local[d] + " in dimension " + d);
            }
            grid[d] = global[d] / local[d]; // OpenCL counts work-items, CUDA counts blocks
            block[d] = local[d];
        }
        check(cuLaunchKernel(((Kernel) kernel).function(), grid[0], grid[1], grid[2], block[0], block[1], block[2],
                0, null, Pointer.to(params), null), "cuLaunchKernel " + kernel.name());
    }

    @Override
    public void finish() {
        makeCurrent();
        check(cuCtxSynchronize(), "cuCtxSynchronize");
    }

    @Override
    public double elapsedMillis(Runnable work) {
        makeCurrent();
        CUevent start = new CUevent(), stop = new CUevent();
        check(cuEventCreate(start, 0), "cuEventCreate");
        check(cuEventCreate(stop, 0), "cuEventCreate");
        try {
            check(cuEventRecord(start, null), "cuEventRecord");
            work.run();
            check(cuEventRecord(stop, null), "cuEventRecord");
            check(cuEventSynchronize(stop), "cuEventSynchronize");
            float[] ms = new float[1];
            check(cuEventElapsedTime(ms, start, stop), "cuEventElapsedTime");
            return ms[0];
        } finally {
            cuEventDestroy(start);
            cuEventDestroy(stop);
        }
    }

    @Override
    public OptionalLong driverFreeBytes() {
        makeCurrent();
        long[] free = new long[1], total = new long[1];
        check(cuMemGetInfo(free, total), "cuMemGetInfo");
        return OptionalLong.of(free[0]);
    }

    @Override
    public void close() {
        makeCurrent();
        modules.values().forEach(m -> cuModuleUnload(m));
        modules.clear();
        kernels.clear();
        cuCtxDestroy(context);
    }

    private static Buffer own(DeviceBuffer b) {
        if (b instanceof Buffer ours) {
            return ours;
        }
        throw new IllegalArgumentException("buffer of another runtime");
    }

    private static void check(int rc, String call) {
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException("CUDA " + call + " failed: " + CUresult.stringFor(rc));
        }
    }
}
