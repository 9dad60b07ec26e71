package dev.stepmem.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A row-major matrix [rows, cols] in host memory: a slice of a memory-mapped checkpoint, or an
 * off-heap buffer. Never on the Java heap. Vectors are [1, n].
 *
 * <p>Weight matrices follow the PyTorch / llama2.c convention [out_features, in_features], so a
 * linear layer is out = x · W^T.
 *
 * <p>A {@linkplain #shapeOnly shape-only} tensor has a name, dtype and shape but no memory (an
 * empty segment): enough for the simulated device, which only counts bytes, to "upload" a 7B
 * model without 13.5 GB of host memory. Backends that compute refuse it.
 */
public record HostTensor(String name, DType dtype, int rows, int cols, MemorySegment data) {

    public static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfShort I16_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public HostTensor {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("tensor " + name + ": bad shape [" + rows + ", " + cols + "]");
        }
        long need = (long) rows * cols * dtype.bytes();
        if (data.byteSize() != need && !isNull(data)) {
            throw new IllegalArgumentException("tensor " + name + ": [" + rows + ", " + cols + "] " + dtype
                    + " needs " + need + " bytes, segment has " + data.byteSize());
        }
    }

    /** A tensor with this shape and dtype but no memory behind it (for the simulated device). */
    public static HostTensor shapeOnly(String name, DType dtype, int rows, int cols) {
        return new HostTensor(name, dtype, rows, cols, MemorySegment.NULL);
    }

    /** False for a {@linkplain #shapeOnly shape-only} tensor. */
    public boolean hasData() {
        return !isNull(data);
    }

    private static boolean isNull(MemorySegment s) {
        return s.byteSize() == 0 && s.address() == 0;
    }

    public long elements() {
        return (long) rows * cols;
    }

    /** Bytes of the elements (also for a shape-only tensor, which holds none of them). */
    public long byteSize() {
        return elements() * dtype.bytes();
    }

    /** Element (r, c) widened to fp32. Slow path for references, tests and small tensors. */
    public float get(int r, int c) {
        return get((long) r * cols + c);
    }

    /** Element at flat index i widened to fp32. */
    public float get(long i) {
        return switch (dtype) {
            case F32 -> data.get(F32_LE, i * 4);
            case BF16 -> DType.bf16ToFloat(data.get(I16_LE, i * 2));
            case F16 -> DType.f16ToFloat(data.get(I16_LE, i * 2));
        };
    }

    /** Copies row r into dst, widened to fp32. */
    public void getRow(int r, float[] dst) {
        long base = (long) r * cols;
        if (dtype == DType.F32) {
            MemorySegment.copy(data, F32_LE, base * 4, dst, 0, cols);
            return;
        }
        for (int c = 0; c < cols; c++) {
            dst[c] = get(base + c);
        }
    }
}
