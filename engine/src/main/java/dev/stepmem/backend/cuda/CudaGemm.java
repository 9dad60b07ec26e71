package dev.stepmem.backend.cuda;

import java.util.Locale;

/**
 * Which GEMM the cuda backend's matmuls use, from {@code $STEPMEM_CUDA_GEMM}: {@code auto} (the
 * default: cuBLAS when a libcublas.so.N loads, else the kernel), {@code cublas} (cuBLAS or the
 * backend does not open) or {@code kernel} (the hand-written gemm.cl, the reference and fallback).
 */
public enum CudaGemm {
    AUTO, CUBLAS, KERNEL;

    static final String ENV = "STEPMEM_CUDA_GEMM";

    public static CudaGemm fromEnvironment() {
        return parse(System.getenv(ENV));
    }

    static CudaGemm parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "cublas" -> CUBLAS;
            case "kernel" -> KERNEL;
            default -> throw new IllegalArgumentException(ENV + " must be auto, cublas or kernel, got '" + value + "'");
        };
    }
}
