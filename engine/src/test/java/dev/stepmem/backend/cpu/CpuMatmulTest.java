package dev.stepmem.backend.cpu;

import static dev.stepmem.tensor.HostTensor.F32_LE;
import static dev.stepmem.tensor.HostTensor.I16_LE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.tensor.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CpuMatmul's fast paths against its plain triple loop, on ragged shapes and all weight types. */
class CpuMatmulTest {
    private static final int[] ROWS = {1, 3, 17, 25, 64};
    private static final int[] KS = {1, 7, 288, 300, 768};
    private static final int[] NS = {1, 5, 33, 288};

    static Stream<Arguments> shapes() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (DType t : DType.values()) {
            for (int rows : ROWS) {
                for (int k : KS) {
                    for (int n : NS) {
                        b.add(Arguments.of(t, rows, k, n));
                    }
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} rows={1} k={2} n={3}")
    @MethodSource("shapes")
    void matchesReference(DType wType, int rows, int k, int n) {
        check(wType, rows, k, n, 1, 1);
    }

    /**
     * Shapes that cross the k-block and w-panel boundaries, split rows into chunks and passes,
     * and use several threads.
     */
    @Test
    void largerShapesCrossingBlocks() {
        check(DType.F32, 37, CpuMatmul.KC * 2 + 13, CpuMatmul.NC * 3 + 2, 2, 3);
        check(DType.BF16, 64, CpuMatmul.KC + 8, CpuMatmul.NC * 2 + 1, 4, 5);
        check(DType.F16, 2, CpuMatmul.KC * 3 + 5, 1000, 6, 7);
        check(DType.BF16, 130, 64, 7, 8, 9); // few panels: the x rows are split into chunks
        check(DType.F32, CpuMatmul.CHUNK + 5, 24, 9, 10, 11); // two passes over the x rows
    }

    /**
     * w is allocated at an odd byte offset into a bigger segment, like an unaligned slice of a
     * memory-mapped checkpoint; x is not 8-byte aligned either.
     */
    private static void check(DType wType, int rows, int k, int n, long seed, int misalign) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + rows * 31L + k * 7L + n);
        try (Arena arena = Arena.ofShared()) { // the worker threads read and write these
            MemorySegment x = arena.allocate((long) rows * k * 4 + 4).asSlice(4); // 4 bytes off 8-aligned
            MemorySegment w = arena.allocate((long) n * k * wType.bytes() + misalign + 8)
                    .asSlice(misalign, (long) n * k * wType.bytes());
            MemorySegment out = arena.allocate((long) rows * n * 4);
            MemorySegment ref = arena.allocate((long) rows * n * 4);
            for (long i = 0; i < (long) rows * k; i++) {
                x.set(F32_LE, i * 4, (float) (rnd.nextDouble() * 2 - 1));
            }
            for (long i = 0; i < (long) n * k; i++) {
                float v = (float) (rnd.nextDouble() * 2 - 1);
                switch (wType) {
                    case F32 -> w.set(F32_LE, i * 4, v);
                    case BF16 -> w.set(I16_LE, i * 2, DType.floatToBf16(v));
                    case F16 -> w.set(I16_LE, i * 2, Float.floatToFloat16(v));
                }
            }
            out.fill((byte) 0x7f); // garbage: every element must be overwritten
            CpuMatmul.matmul(out, x, w, wType, rows, n, k);
            CpuMatmul.reference(ref, x, w, wType, rows, n, k);
            // Relative to the size of the dot product's terms (sum |x||w| ~ k/4), so that sums
            // that cancel to near zero are not judged by their own tiny magnitude.
            double scale = Math.max(1.0, k / 4.0);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < n; j++) {
                    float want = ref.get(F32_LE, ((long) r * n + j) * 4);
                    float got = out.get(F32_LE, ((long) r * n + j) * 4);
                    double err = Math.abs(got - want) / Math.max(Math.abs(want), scale);
                    int rr = r, jj = j;
                    assertTrue(err <= 1e-4, () -> wType + " rows=" + rows + " k=" + k + " n=" + n
                            + " at [" + rr + ", " + jj + "]: got " + got + ", want " + want);
                }
            }
        }
    }

    @Test
    void alignPadPointsAtAVectorBoundary() {
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        for (int size : new int[] {100, 1000, 1 << 20}) {
            int pad = CpuMatmul.alignPad(new float[size]);
            assertTrue(pad >= 0 && pad < lanes, "pad " + pad);
        }
    }

    /** The fp16 and bf16 widenings equal the scalar conversions for all 65536 inputs. */
    @Test
    void f16WideningIsExact() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = arena.allocate(65536L * 2);
            for (int i = 0; i < 65536; i++) {
                h.set(I16_LE, i * 2L, (short) i);
            }
            float[] fast = new float[65536];
            CpuMatmul.widen(h, DType.F16, 0, 65536, fast, 0);
            float[] bf = new float[65536];
            CpuMatmul.widen(h, DType.BF16, 0, 65536, bf, 0);
            for (int i = 0; i < 65536; i++) {
                float want = Float.float16ToFloat((short) i);
                if (Float.isNaN(want)) {
                    assertTrue(Float.isNaN(fast[i]), "fp16 " + Integer.toHexString(i));
                } else {
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(fast[i]),
                            () -> "fp16 " + Integer.toHexString(Float.floatToRawIntBits(want)));
                }
                assertEquals(Float.floatToRawIntBits(DType.bf16ToFloat((short) i)), Float.floatToRawIntBits(bf[i]));
            }
        }
    }
}
