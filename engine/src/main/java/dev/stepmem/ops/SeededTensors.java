package dev.stepmem.ops;

import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/** Seeded inputs of op checks (the harness here, the op tests through TestTensors): values and weights. */
public final class SeededTensors {
    private SeededTensors() {
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

    /** A [rows, cols] weight named name, of seeded values stored as type (bf16/fp16 rounded from the fp32 values). */
    public static HostTensor weight(Arena arena, String name, DType type, int rows, int cols, long seed) {
        float[] v = random(rows * cols, seed);
        MemorySegment seg = arena.allocate((long) rows * cols * type.bytes(), 64);
        for (int i = 0; i < v.length; i++) {
            switch (type) {
                case F32 -> seg.set(HostTensor.F32_LE, 4L * i, v[i]);
                case BF16 -> seg.set(HostTensor.I16_LE, 2L * i, DType.floatToBf16(v[i]));
                case F16 -> seg.set(HostTensor.I16_LE, 2L * i, DType.floatToF16(v[i]));
            }
        }
        return new HostTensor(name, type, rows, cols, seg);
    }
}
