package dev.stepmem.backend.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_TRUE;

import dev.stepmem.backend.gpu.DeviceAllocationException;
import dev.stepmem.backend.gpu.DeviceBuffer;
import dev.stepmem.backend.gpu.DeviceKernel;
import dev.stepmem.backend.gpu.DeviceRuntime;
import dev.stepmem.backend.gpu.KernelCatalog;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * {@link DeviceRuntime} on OpenCL through JOCL: one context and one in-order queue on one device.
 * Programs are compiled from the kernel sources (prelude + file, with the catalog's defines) the
 * first time one of their kernels is asked for.
 */
public final class OpenClRuntime implements DeviceRuntime {
    /** Largest piece of one host transfer (a ByteBuffer view cannot exceed 2 GiB). */
    private static final long TRANSFER_PIECE = 1L << 30;

    private final OpenClDevice device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, Kernel> kernels = new HashMap<>();

    private record Buffer(cl_mem mem, long bytes) implements DeviceBuffer {
    }

    private record Kernel(String name, cl_kernel handle) implements DeviceKernel {
    }

    public OpenClRuntime(OpenClDevice device) {
        this.device = device;
        CL.setExceptionsEnabled(true);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platformId());
        this.context = CL.clCreateContext(props, 1, new cl_device_id[] {device.deviceId()}, null, null, null);
        @SuppressWarnings("deprecation") // clCreateCommandQueue: the OpenCL 1.2 call, which PoCL and Oclgrind both have
        cl_command_queue q = CL.clCreateCommandQueue(context, device.deviceId(), 0, null);
        this.queue = q;
    }

    public OpenClDevice device() {
        return device;
    }

    @Override
    public String description() {
        return "OpenCL: " + device.platform() + " / " + device.name();
    }

    @Override
    public DeviceBuffer allocate(long bytes) {
        try {
            return new Buffer(CL.clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null), bytes);
        } catch (CLException e) {
            throw new DeviceAllocationException("OpenCL could not allocate " + bytes + " bytes: " + e.getMessage());
        }
    }

    @Override
    public void free(DeviceBuffer buffer) {
        CL.clReleaseMemObject(own(buffer).mem());
    }

    @Override
    public void write(DeviceBuffer dst, long dstOffset, MemorySegment src) {
        Buffer b = own(dst);
        checkRange(b, dstOffset, src.byteSize());
        for (long done = 0; done < src.byteSize(); done += TRANSFER_PIECE) {
            long n = Math.min(TRANSFER_PIECE, src.byteSize() - done);
            CL.clEnqueueWriteBuffer(queue, b.mem(), CL_TRUE, dstOffset + done, n,
                    Pointer.to(src.asSlice(done, n).asByteBuffer()), 0, null, null);
        }
    }

    @Override
    public void read(DeviceBuffer src, long srcOffset, MemorySegment dst) {
        Buffer b = own(src);
        checkRange(b, srcOffset, dst.byteSize());
        for (long done = 0; done < dst.byteSize(); done += TRANSFER_PIECE) {
            long n = Math.min(TRANSFER_PIECE, dst.byteSize() - done);
            CL.clEnqueueReadBuffer(queue, b.mem(), CL_TRUE, srcOffset + done, n,
                    Pointer.to(dst.asSlice(done, n).asByteBuffer()), 0, null, null);
        }
    }

    @Override
    public void copy(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long bytes) {
        Buffer s = own(src), d = own(dst);
        checkRange(s, srcOffset, bytes);
        checkRange(d, dstOffset, bytes);
        if (s == d && srcOffset < dstOffset + bytes && dstOffset < srcOffset + bytes) {
            throw new IllegalArgumentException("OpenCL copies within one buffer must not overlap");
        }
        CL.clEnqueueCopyBuffer(queue, s.mem(), d.mem(), srcOffset, dstOffset, bytes, 0, null, null);
    }

    @Override
    public DeviceKernel kernel(String program, String kernel) {
        return kernels.computeIfAbsent(program + "/" + kernel,
                key -> new Kernel(key, CL.clCreateKernel(program(program), kernel, null)));
    }

    /** Compiles an arbitrary source of the shared dialect (tests: a mutated kernel for Oclgrind). */
    public DeviceKernel compileKernel(String programKey, String source, String options, String kernel) {
        cl_program p = programs.computeIfAbsent(programKey, k -> build(k, source, options));
        return kernels.computeIfAbsent(programKey + "/" + kernel, key -> new Kernel(key, CL.clCreateKernel(p, kernel, null)));
    }

    private cl_program program(String name) {
        return programs.computeIfAbsent(name, n -> {
            KernelCatalog catalog = KernelCatalog.get();
            return build(n, catalog.openClSource(n), catalog.program(n).defineOptions());
        });
    }

    private cl_program build(String name, String source, String defines) {
        cl_program p = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            CL.clBuildProgram(p, 0, null, "-cl-std=CL1.2 " + defines, null, null);
        } catch (CLException e) {
            long[] size = new long[1];
            CL.clGetProgramBuildInfo(p, device.deviceId(), CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] log = new byte[(int) size[0]];
            CL.clGetProgramBuildInfo(p, device.deviceId(), CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
            throw new IllegalStateException("OpenCL build of kernel program " + name + " failed: "
                    + new String(log, java.nio.charset.StandardCharsets.UTF_8).strip(), e);
        }
        return p;
    }

    @Override
    public void launch(DeviceKernel kernel, int[] global, int[] local, Object... args) {
        cl_kernel k = ((Kernel) kernel).handle();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case Buffer b -> CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(b.mem()));
                case Integer v -> CL.clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
                case Float v -> CL.clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
                default -> throw new IllegalArgumentException("kernel " + kernel.name() + " argument " + i
                        + " of unsupported type " + args[i].getClass().getSimpleName());
            }
        }
        long[] g = new long[global.length], l = new long[local.length];
        for (int d = 0; d < global.length; d++) {
            if (global[d] % local[d] != 0) {
                throw new IllegalArgumentException("kernel " + kernel.name() + ": global size " + global[d]
                        + " is not a multiple of the local size " + local[d] + " in dimension " + d);
            }
            g[d] = global[d];
            l[d] = local[d];
        }
        CL.clEnqueueNDRangeKernel(queue, k, global.length, null, g, l, 0, null, null);
    }

    @Override
    public void finish() {
        CL.clFinish(queue);
    }

    @Override
    public double elapsedMillis(Runnable work) {
        finish();
        long start = System.nanoTime();
        work.run();
        finish();
        return (System.nanoTime() - start) / 1e6;
    }

    @Override
    public OptionalLong driverFreeBytes() {
        return OptionalLong.empty();
    }

    @Override
    public void close() {
        kernels.values().forEach(k -> CL.clReleaseKernel(k.handle()));
        kernels.clear();
        programs.values().forEach(CL::clReleaseProgram);
        programs.clear();
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
    }

    private static Buffer own(DeviceBuffer b) {
        if (b instanceof Buffer ours) {
            return ours;
        }
        throw new IllegalArgumentException("buffer of another runtime");
    }

    private static void checkRange(Buffer b, long offset, long bytes) {
        if (offset < 0 || bytes < 0 || offset + bytes > b.bytes()) {
            throw new IndexOutOfBoundsException("bytes [" + offset + ", " + (offset + bytes) + ") outside a buffer of "
                    + b.bytes());
        }
    }
}
