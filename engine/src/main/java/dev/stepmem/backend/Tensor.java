package dev.stepmem.backend;

import dev.stepmem.tensor.DType;

/**
 * A matrix [rows, cols], row-major, living on some backend's device. Each backend has its own
 * implementation and accepts only its own tensors. A tensor's rows are a capacity: ops take the
 * number of rows to use, so one buffer sized for the largest chunk serves every chunk.
 */
public interface Tensor {
    String label();

    DType dtype();

    int rows();

    int cols();

    default long byteSize() {
        return (long) rows() * cols() * dtype().bytes();
    }
}
