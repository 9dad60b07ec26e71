package dev.stepmem.backend.gpu;

import dev.stepmem.backend.Tensor;
import dev.stepmem.tensor.DType;

/** A [rows, cols] matrix in a device buffer of one {@link GpuBackend}. */
public final class GpuTensor implements Tensor {
    private final String label;
    private final DType dtype;
    private final int rows;
    private final int cols;
    final DeviceBuffer buffer;
    final GpuBackend owner;

    GpuTensor(String label, DType dtype, int rows, int cols, DeviceBuffer buffer, GpuBackend owner) {
        this.label = label;
        this.dtype = dtype;
        this.rows = rows;
        this.cols = cols;
        this.buffer = buffer;
        this.owner = owner;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }
}
