package dev.stepmem.backend.cpu;

import dev.stepmem.backend.Tensor;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A tensor in host memory: an off-heap activation buffer, or a weight's mapped slice. */
public final class CpuTensor implements Tensor {
    private final String label;
    private final DType dtype;
    private final int rows;
    private final int cols;
    final MemorySegment data;
    /** The arena that owns an activation buffer; null for weights (owned by their loader). */
    final Arena arena;

    CpuTensor(String label, DType dtype, int rows, int cols, MemorySegment data, Arena arena) {
        this.label = label;
        this.dtype = dtype;
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.arena = arena;
    }

    static CpuTensor of(Tensor t) {
        if (t instanceof CpuTensor c) {
            return c;
        }
        throw new IllegalArgumentException("tensor " + t.label() + " belongs to another backend");
    }

    static CpuTensor wrap(HostTensor w) {
        if (!w.hasData()) {
            throw new IllegalArgumentException("weight " + w.name() + " has a shape but no data (shape-only "
                    + "weights are for the sim backend; the CPU backends need real or synthetic weights)");
        }
        return new CpuTensor("weights." + w.name(), w.dtype(), w.rows(), w.cols(), w.data(), null);
    }

    /** Views this tensor as a HostTensor (for element access in references and tests). */
    HostTensor host() {
        return new HostTensor(label, dtype, rows, cols, data);
    }

    public MemorySegment segment() {
        return data;
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
