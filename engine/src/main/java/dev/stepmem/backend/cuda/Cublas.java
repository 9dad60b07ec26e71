package dev.stepmem.backend.cuda;

import dev.stepmem.backend.gpu.DeviceUnavailableException;
import dev.stepmem.tensor.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * cuBLAS through FFM downcalls to whichever {@code libcublas.so.N} is present (JCuda's JCublas
 * binds only libcublas.so.12; GPU machines may have only CUDA 13's). One handle on the CUDA
 * context current to the thread (the runtime API adopts the driver context CudaRuntime made),
 * the default stream, so it runs in order with the kernels. Only {@code cublasGemmEx} is used:
 * fp32 x fp32 or bf16 x bf16 / fp16 x fp16 operands, fp32 output, fp32 accumulation
 * ({@code CUBLAS_COMPUTE_32F}; the default math mode, so no TF32).
 *
 * <p>NEVER RUN: no machine of this project has had a GPU and cuBLAS together; only the search
 * for the library and the failure without it are tested. The calls follow cuBLAS's documented
 * C API (cublas_api.h); the layout arithmetic is in {@link #matmul}.
 */
final class Cublas implements AutoCloseable {
    private static final int OP_N = 0, OP_T = 1;
    private static final int CUDA_R_32F = 0, CUDA_R_16F = 2, CUDA_R_16BF = 14;
    private static final int CUBLAS_COMPUTE_32F = 68;
    private static final int CUBLAS_GEMM_DEFAULT = -1;

    private final Arena arena = Arena.ofShared(); // holds the library loaded while the handle lives
    private final Path library;
    private final MethodHandle gemmEx;
    private final MethodHandle destroy;
    private final MemorySegment handle;
    private final MemorySegment one;
    private final MemorySegment zero;
    private final int version;

    private Cublas(Path library) {
        this.library = library;
        Linker linker = Linker.nativeLinker();
        // cuBLAS needs its Lt library (same folder, same N), and a wheel's copy may need the CUDA
        // runtime of the sibling nvidia/cuda_runtime wheel: load those first, so the loader finds them
        for (Path dependency : dependencies(library)) {
            SymbolLookup.libraryLookup(dependency, arena);
        }
        SymbolLookup lib = SymbolLookup.libraryLookup(library, arena);
        MethodHandle create = linker.downcallHandle(symbol(lib, "cublasCreate_v2"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        MethodHandle getVersion = linker.downcallHandle(symbol(lib, "cublasGetVersion_v2"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        destroy = linker.downcallHandle(symbol(lib, "cublasDestroy_v2"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        ValueLayout p = ValueLayout.ADDRESS;
        // handle, transa, transb, m, n, k, alpha, A, Atype, lda, B, Btype, ldb, beta, C, Ctype, ldc, compute, algo
        gemmEx = linker.downcallHandle(symbol(lib, "cublasGemmEx"),
                FunctionDescriptor.of(i, p, i, i, i, i, i, p, p, i, i, p, i, i, p, p, i, i, i, i));
        MemorySegment slot = arena.allocate(ValueLayout.ADDRESS);
        check(call(create, slot), "cublasCreate_v2");
        handle = slot.get(ValueLayout.ADDRESS, 0);
        MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
        check(call(getVersion, handle, v), "cublasGetVersion_v2");
        version = v.get(ValueLayout.JAVA_INT, 0);
        one = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1f);
        zero = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 0f);
    }

    /** libcublasLt.so.N beside the library, and libcudart.so.N of a sibling Python wheel, where present. */
    static java.util.List<Path> dependencies(Path library) {
        String n = library.getFileName().toString().substring("libcublas.so.".length());
        java.util.List<Path> out = new java.util.ArrayList<>();
        Path lib = library.toAbsolutePath().getParent(); // nvidia/cublas/lib in a wheel
        if (lib.getParent() != null && lib.getParent().getParent() != null) {
            Path runtime = lib.getParent().getParent().resolve("cuda_runtime/lib/libcudart.so." + n);
            if (Files.isRegularFile(runtime)) {
                out.add(runtime);
            }
        }
        Path lt = library.resolveSibling("libcublasLt.so." + n);
        if (Files.isRegularFile(lt)) {
            out.add(lt);
        }
        return out;
    }

    /** Loads the library and makes a handle, or says in one line why not. */
    static Cublas open(Path library) {
        try {
            return new Cublas(library);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new DeviceUnavailableException("no cuBLAS from " + library + ": " + e.getMessage());
        }
    }

    /** "cuBLAS 13.0.2 (/path/libcublas.so.13)". */
    String describe() {
        return "cuBLAS " + version / 10000 + "." + version / 100 % 100 + "." + version % 100 + " (" + library + ")";
    }

    /**
     * out [rows, n] = x [rows, k] . w [n, k]^T, all row-major, out fp32. In cuBLAS's column-major
     * view out is C [n, rows] (ldc n) = op(A) B with A = w seen as [k, n] (lda k) transposed and
     * B = x seen as [k, rows] (ldb k). x has w's type (the caller narrows it for bf16/fp16).
     */
    void matmul(long out, long x, long w, DType type, int rows, int n, int k) {
        int t = switch (type) {
            case F32 -> CUDA_R_32F;
            case BF16 -> CUDA_R_16BF;
            case F16 -> CUDA_R_16F;
        };
        check(call(gemmEx, handle, OP_T, OP_N, n, rows, k, one, MemorySegment.ofAddress(w), t, k,
                MemorySegment.ofAddress(x), t, k, zero, MemorySegment.ofAddress(out), CUDA_R_32F, n,
                CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT), "cublasGemmEx");
    }

    @Override
    public void close() {
        call(destroy, handle);
        arena.close();
    }

    private static MemorySegment symbol(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException("the library has no " + name));
    }

    private static int call(MethodHandle h, Object... args) {
        try {
            return (int) h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(int status, String call) {
        if (status != 0) {
            throw new IllegalStateException("cuBLAS " + call + " failed with status " + status + " (" + statusName(status) + ")");
        }
    }

    private static String statusName(int status) {
        return switch (status) {
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "unknown";
        };
    }
}
