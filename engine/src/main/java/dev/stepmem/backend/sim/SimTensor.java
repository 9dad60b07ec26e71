package dev.stepmem.backend.sim;

import dev.stepmem.backend.Tensor;
import dev.stepmem.tensor.DType;

/** A tensor of the simulated device: a shape and the bytes the ledger was charged for it, no data. */
final class SimTensor implements Tensor {
    private final String label;
    private final DType dtype;
    private final int rows;
    private final int cols;
    final long chargedBytes;

    SimTensor(String label, DType dtype, int rows, int cols, long chargedBytes) {
        this.label = label;
        this.dtype = dtype;
        this.rows = rows;
        this.cols = cols;
        this.chargedBytes = chargedBytes;
    }

    static SimTensor of(Tensor t) {
        if (t instanceof SimTensor s) {
            return s;
        }
        throw new IllegalArgumentException("tensor " + t.label() + " belongs to another backend");
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
