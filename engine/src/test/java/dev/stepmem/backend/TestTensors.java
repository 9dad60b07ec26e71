package dev.stepmem.backend;

import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.function.Function;

/** Inputs and outputs of op tests, shared by every backend's tests: seeded values, weights, buffers. */
public final class TestTensors {
    private TestTensors() {
    }

    /** n values uniform in [-1, 1), the same for a seed. */
    public static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** A [rows, cols] weight of seeded values stored as type (bf16/fp16 rounded from the fp32 values). */
    public static HostTensor weight(Arena arena, DType type, int rows, int cols, long seed) {
        float[] v = random(rows * cols, seed);
        MemorySegment seg = arena.allocate((long) rows * cols * type.bytes());
        for (int i = 0; i < v.length; i++) {
            switch (type) {
                case F32 -> seg.set(HostTensor.F32_LE, 4L * i, v[i]);
                case BF16 -> seg.set(HostTensor.I16_LE, 2L * i, DType.floatToBf16(v[i]));
                case F16 -> seg.set(HostTensor.I16_LE, 2L * i, DType.floatToF16(v[i]));
            }
        }
        return new HostTensor("w", type, rows, cols, seg);
    }

    /** A [rows, cols] buffer on b holding values. */
    public static Tensor filled(Backend b, int rows, int cols, float[] values) {
        Tensor t = b.allocate("in", rows, cols);
        b.write(t, 0, values, rows);
        return t;
    }

    /** Runs op on b and reads its output tensor back to the host. */
    public static float[] run(Backend b, Function<Backend, Tensor> op) {
        Tensor out = op.apply(b);
        float[] host = new float[out.rows() * out.cols()];
        b.read(out, 0, out.rows(), host);
        return host;
    }
}
