package dev.stepmem.backend;

import dev.stepmem.ops.SeededTensors;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.Arena;
import java.util.function.Function;

/** Inputs and outputs of op tests, shared by every backend's tests: seeded values, weights, buffers. */
public final class TestTensors {
    private TestTensors() {
    }

    /** n values uniform in [-1, 1), the same for a seed. */
    public static float[] random(int n, long seed) {
        return SeededTensors.random(n, seed);
    }

    /** A [rows, cols] weight of seeded values stored as type (bf16/fp16 rounded from the fp32 values). */
    public static HostTensor weight(Arena arena, DType type, int rows, int cols, long seed) {
        return SeededTensors.weight(arena, "w", type, rows, cols, seed);
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
