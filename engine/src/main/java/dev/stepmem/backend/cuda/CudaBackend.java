package dev.stepmem.backend.cuda;

import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.Tensor;
import dev.stepmem.backend.gpu.DeviceUnavailableException;
import dev.stepmem.backend.gpu.GpuBackend;
import dev.stepmem.tensor.DType;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code cuda} backend: the shared GPU ops (the same kernels as PTX) on a CUDA device, with
 * its matmuls through cuBLAS when a libcublas loads ({@link CudaGemm}; the hand-written GEMM
 * otherwise). It records the driver's free memory when it opens, so {@link #memoryCrossCheck()}
 * can set the ledger's figure beside the driver's. Never run on a GPU (see {@link CudaRuntime}).
 */
public final class CudaBackend extends GpuBackend {
    private final long freeAtStart;
    private final CudaRuntime cuda;
    /** null: the hand-written GEMM. */
    private final Cublas cublas;
    private final String gemm;

    private CudaBackend(CudaRuntime runtime, MemoryLedger ledger, Cublas cublas, String gemm) {
        super("cuda", runtime, ledger);
        this.cuda = runtime;
        this.cublas = cublas;
        this.gemm = gemm;
        this.freeAtStart = runtime.driverFreeBytes().orElse(0);
    }

    /** As {@link #open(String, MemoryLedger, CudaGemm)} with the GEMM of $STEPMEM_CUDA_GEMM. */
    public static CudaBackend open(String selector, MemoryLedger ledger) {
        return open(selector, ledger, CudaGemm.fromEnvironment());
    }

    /**
     * @param selector index or name as in {@link CudaDevices#pick}; null for the first device
     * @throws DeviceUnavailableException one line, when there is no driver or device (or no cuBLAS under CUBLAS)
     */
    public static CudaBackend open(String selector, MemoryLedger ledger, CudaGemm choice) {
        CudaDevice device = CudaDevices.pick(selector);
        CudaRuntime.ptx("elementwise"); // fail early, in one line, when the jar was built without nvcc
        CudaRuntime runtime = new CudaRuntime(device);
        if (choice == CudaGemm.KERNEL) {
            return new CudaBackend(runtime, ledger, null, "hand-written GEMM (gemm.cl; " + CudaGemm.ENV + "=kernel)");
        }
        Optional<Path> library = CublasLibrary.locate();
        try {
            Cublas cublas = Cublas.open(library.orElseThrow(() -> new DeviceUnavailableException(
                    "no cuBLAS: no libcublas.so.N found (set " + CublasLibrary.ENV + " to one)")));
            return new CudaBackend(runtime, ledger, cublas, cublas.describe());
        } catch (DeviceUnavailableException e) {
            if (choice == CudaGemm.CUBLAS) {
                runtime.close();
                throw e;
            }
            return new CudaBackend(runtime, ledger, null, "hand-written GEMM (gemm.cl): " + e.getMessage());
        }
    }

    /** Whether the matmuls go through cuBLAS (else the hand-written GEMM). */
    public boolean usesCublas() {
        return cublas != null;
    }

    /** Which GEMM the matmuls use, and why: "cuBLAS 13.0.2 (path)" or "hand-written GEMM (...)". */
    public String gemm() {
        return gemm;
    }

    /**
     * cuBLAS's GemmEx when loaded: fp32 weights as fp32 x fp32; bf16 / fp16 weights with the
     * activations rounded to the weight's type first (GemmEx has no fp32 x bf16), as a framework's
     * bf16 GEMM has them, so the result differs from the fp32-activation reference by about the
     * 16-bit type's rounding (bf16 2^-9, fp16 2^-11 relative), not 1e-5. fp32 accumulation always.
     */
    @Override
    public void matmul(Tensor out, Tensor x, Tensor w, int rows) {
        if (cublas == null) {
            super.matmul(out, x, w, rows);
            return;
        }
        checkMatmul(out, x, w, rows);
        int k = x.cols(), n = w.rows();
        if (rows == 0) {
            return;
        }
        var activations = w.dtype() == DType.F32 ? bufferOf(x) : narrowed(x, rows * k, w.dtype());
        cuda.makeCurrent(); // the cuBLAS handle belongs to this backend's context
        cublas.matmul(cuda.address(bufferOf(out)), cuda.address(activations), cuda.address(bufferOf(w)), w.dtype(),
                rows, n, k);
    }

    /** The ledger's bytes beside the drop in the driver's free memory since this backend opened (cuMemGetInfo). */
    public String memoryCrossCheck() {
        return memoryCrossCheck(freeAtStart);
    }

    @Override
    public void close() {
        if (cublas != null) {
            cuda.makeCurrent();
            cublas.close();
        }
        super.close();
    }
}
