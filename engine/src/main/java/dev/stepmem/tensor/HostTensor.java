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
        if (data.byteSize() != need) {
            throw new IllegalArgumentException("tensor " + name + ": [" + rows + ", " + cols + "] " + dtype
                    + " needs " + need + " bytes, segment has " + data.byteSize());
        }
    }

    public long elements() {
        return (long) rows * cols;
    }

    public long byteSize() {
        return data.byteSize();
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
