package dev.stepmem.backend.cpu;

import static dev.stepmem.tensor.HostTensor.F32_LE;
import static dev.stepmem.tensor.HostTensor.I16_LE;

import dev.stepmem.tensor.DType;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU matmul: out[rows, n] = x[rows, k] · w[n, k]^T (a linear layer, weights stored
 * [out_features, in_features] as in PyTorch / llama2.c). x and out are fp32; w is fp32, bf16 or
 * fp16, little-endian, possibly an unaligned slice of a memory-mapped checkpoint.
 *
 * <p>Two paths:
 * <ul>
 *   <li><b>Blocked</b> (rows &ge; {@link #DIRECT_ROWS}: prefill). Both operands are
 *       k-contiguous, so the micro-kernel is a block of dot products: {@link #MR} = 2 rows of x
 *       against {@link #NR} = 4 rows of w, eight FloatVector accumulators over a k-block, then
 *       eight reductions into a result tile. 8 accumulators + 4 w + 1 x = 13 of AVX2's 16 vector
 *       registers: C2 compiles it to a 19-instruction loop (6 loads, 8 FMAs) with no spills; 4 × 3
 *       or 2 × 6 blocks, or a hand-unrolled loop, spill. GotoBLAS-style cache blocking, sizes
 *       for a 32 KiB L1 and a 512 KiB L2 per core with 8-float vectors (llama 7B shapes: k = 4096,
 *       n = 4096 or 11008):
 *       <pre>
 *   for each pass of up to CHUNK x rows:
 *     pack x[pass, :] -> xs      k-blocks of KC, tiles of 2 rows   (all threads, once)
 *     tasks: panels of NC = 256 w rows (out columns), handed out one at a time:
 *       for each k-block of KC = 1024:
 *         pack w[panel, kblock] -> fp32 [NC, KC]   (1 MiB; bf16/fp16 widened here, once)
 *         for each block of MC = 64 x rows:         (x block [64, KC] = 256 KiB: L2)
 *           for each quad of w rows in the panel:    (w tile [4, KC] = 16 KiB: L1)
 *             for each pair of x rows in the block:  (x tile [2, KC] = 8 KiB: streams from L2)
 *               2 × 4 micro-kernel over KC -> result tile c [CHUNK, NC] (+=)
 *       copy c -> out[pass rows, panel columns]
 *       </pre>
 *       Widening bf16/fp16 weights is paid once per panel and k-block and reused by every x row
 *       of the pass. Packing pads each k-block with zeros to a multiple of the vector length, and
 *       the tiles with zero rows, so the micro-kernel has no tails and no masks; padded results
 *       are not copied out. Packed arrays start on a vector-size boundary ({@link #alignPad}).
 *   <li><b>Direct</b> (rows &lt; {@link #DIRECT_ROWS}: decode, short chunks). Memory-bound on w:
 *       each group of 4 w rows is read straight from the segment, widened in registers (fp16:
 *       into a small buffer first), and dotted with the x rows two at a time, with the same
 *       2 × 4 block of accumulators. Below ~24 rows this beats packing (measured).
 * </ul>
 * Both paths split the work over w rows (out columns) with {@link Parallel}: the blocked path
 * hands its panels out from a shared counter (a multiple of the thread count of them, narrower
 * when n is small; when still too few for the threads the x rows are split as well). Each hot loop stays in one method so
 * the JIT keeps the accumulators in registers (STACK.md). The block sizes can be overridden with
 * -Dstepmem.matmul.{kc,mc,nc,chunk,directRows} for tuning.
 */
public final class CpuMatmul {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    /** Shorts with as many lanes as F: half its bit size. */
    private static final VectorSpecies<Short> S =
            VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final int L = F.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Micro-kernel: MR rows of x × NR rows of w. */
    static final int MR = 2, NR = 4;
    /** Fewer x rows than this take the direct (decode) path. */
    static final int DIRECT_ROWS = Integer.getInteger("stepmem.matmul.directRows", 24);
    /** k-block: a w tile (NR × KC fp32) is 16 KiB, half the L1; an x tile 8 KiB. */
    static final int KC = roundUp(Integer.getInteger("stepmem.matmul.kc", 1024), L);
    /** x rows per block: MC × KC fp32 = 256 KiB, half the L2. */
    static final int MC = roundUp(Integer.getInteger("stepmem.matmul.mc", 64), MR);
    /** w rows per panel (and per task): the packed panel NC × KC fp32 is 1 MiB (L2 + L3). */
    static final int NC = roundUp(Integer.getInteger("stepmem.matmul.nc", 256), NR);
    /** At most this many x rows per pass, bounding the result tile [CHUNK, NC] (1 MiB). */
    static final int CHUNK = roundUp(Integer.getInteger("stepmem.matmul.chunk", 1024), MC);

    /** Bound on the packed x of one pass: 4 Mi floats (16 MiB). */
    static final int X_PACK_MAX = 1 << 22;

    /** Room for aligning the start of a packed array (see alignPad). */
    private static final int PAD_MAX = 16;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final ThreadLocal<float[]> PACKED_X = new ThreadLocal<>();

    /** Per-thread packing buffers (on-heap: plain float[] gives the tightest vector loops). */
    private static final class Scratch {
        final float[] w = new float[NC * KC + PAD_MAX];
        /** The results of one task: [CHUNK, NC], accumulated over the k-blocks. */
        final float[] c = new float[CHUNK * NC];
        /** One source row of a k-block, bulk-copied out of the segment before widening. */
        final float[] rowF = new float[KC];
        final short[] rowS = new short[KC];
        /** The micro-kernel's 8 accumulators, stored for their lane sums. */
        final float[] lanes = new float[8 * L];
        /** fp16 decode: a group of 4 w rows widened, grown on demand. */
        private float[] group = new float[0];

        float[] group(int size) {
            if (group.length < size) {
                group = new float[size];
            }
            return group;
        }
    }

    private CpuMatmul() {
    }

    /**
     * out[rows, n] = x[rows, k] · w[n, k]^T. out and x are fp32 row-major (row strides n and k);
     * w is [n, k] row-major in wType. Multi-threaded over all cores.
     */
    public static void matmul(MemorySegment out, MemorySegment x, MemorySegment w, DType wType,
                              int rows, int n, int k) {
        if (rows <= 0 || n <= 0) {
            return;
        }
        checkSize("out", out, (long) rows * n * 4);
        checkSize("x", x, (long) rows * k * 4);
        checkSize("w", w, (long) n * k * wType.bytes());
        if (k <= 0) {
            out.asSlice(0, (long) rows * n * 4).fill((byte) 0);
            return;
        }
        // Small problems (tiny models) stay on the caller's thread: forking costs more.
        boolean small = 2L * rows * n * k < (1 << 22);
        if (rows < DIRECT_ROWS) {
            // Decode: split w rows into blocks of at least 64K multiply-adds.
            int minBlock = small ? n : Math.max(16, (1 << 16) / Math.max(1, k * rows));
            Parallel.forRange(n, minBlock,
                    (from, to) -> direct(out, x, w, wType, rows, n, k, from, to, SCRATCH.get()));
            return;
        }
        int kpad = roundUp(k, L); // the k-blocks are KC wide (a multiple of L), the last one padded
        // The x rows are processed in passes of at most passRows: each pass packs its rows once
        // (shared by all threads), then the panels of w are handed out to the threads.
        int passRows = Math.min(CHUNK, Math.max(MC, X_PACK_MAX / kpad / MC * MC));
        float[] xs = packedX(roundUp(Math.min(rows, passRows), MR) * kpad);
        // Panels of at most NC w rows: narrower when n is small, so that every thread gets a few,
        // and as many as a multiple of the thread count, so that the threads finish together
        // (n = 11008, 2 threads: 44 panels of 252 rather than 43 of 256).
        int threads = Parallel.threads(), want = 4 * threads;
        int widest = Math.min(NC, Math.max(64, roundUp(ceilDiv(n, want), NR)));
        int nc = roundUp(ceilDiv(n, roundUp(ceilDiv(n, widest), threads)), NR);
        int panels = ceilDiv(n, nc);
        for (int pr = 0; pr < rows; pr += passRows) {
            int pRows = Math.min(passRows, rows - pr), base = pr;
            int xPad = alignPad(xs); // the pass's packed x starts at xs[xPad]
            Parallel.forRange(ceilDiv(pRows, MR), small ? rows : 16, (from, to) -> packX(x, k, base, pRows,
                    from * MR, Math.min(pRows, to * MR), xs, xPad, SCRATCH.get()));
            // Still few panels (small n): split the rows of the pass too.
            int chunks = panels >= want ? 1 : Math.max(1, Math.min(ceilDiv(want, panels), pRows / MC));
            int chunkRows = roundUp(ceilDiv(pRows, chunks), MR);
            int chunkCount = ceilDiv(pRows, chunkRows);
            int tasks = panels * chunkCount;
            // Tasks are big (up to ~2 GFLOP) and few: hand them out one at a time from a shared
            // counter, so that the threads finish together (forRange's fixed blocks would not).
            AtomicInteger next = new AtomicInteger();
            Parallel.forRange(small ? 1 : Math.min(tasks, threads), 1, (from, to) -> {
                Scratch s = SCRATCH.get();
                for (int t; (t = next.getAndIncrement()) < tasks; ) {
                    int p = t % panels, c = t / panels;
                    int j0 = p * nc, r0 = c * chunkRows;
                    blocked(out, xs, xPad, roundUp(pRows, MR), w, wType, n, k, base, r0,
                            Math.min(pRows, r0 + chunkRows), j0, Math.min(n, j0 + nc), s);
                }
            });
        }
    }

    /**
     * The calling thread's packed-x buffer, grown on demand and kept: about X_PACK_MAX floats
     * (16 MiB) at most, or MC rows when k is huge.
     */
    private static float[] packedX(int size) {
        float[] xs = PACKED_X.get();
        if (xs == null || xs.length < size + PAD_MAX) {
            xs = new float[size + PAD_MAX];
            PACKED_X.set(xs);
        }
        return xs;
    }

    /*
     * Alignment. The micro-kernel's vector loads must not straddle cache lines: a misaligned
     * packed array makes every other 32-byte load a split load, measured 10-15% slower end to
     * end (large arrays sit at a G1 region start + the 16-byte array header, i.e. 16 bytes off).
     * Java does not expose where an array lives, so ask C: memmove(a, a, 0) returns its first
     * argument, and a critical downcall may take a heap array. The address is only read
     * modulo the vector size to pick a start index; if the GC moves the array later the loads
     * are merely misaligned again (re-checked every task). Without native access the pad is 0.
     */
    private static final MethodHandle MEMMOVE = memmove();

    @SuppressWarnings("restricted")
    private static MethodHandle memmove() {
        try {
            Linker linker = Linker.nativeLinker();
            if (!(linker.canonicalLayouts().get("size_t") instanceof ValueLayout.OfLong)) {
                return null;
            }
            return linker.downcallHandle(linker.defaultLookup().find("memmove").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG),
                    Linker.Option.critical(true));
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** How many floats to skip so that a[pad] starts on a vector-size boundary (0 if unknown). */
    static int alignPad(float[] a) {
        if (MEMMOVE == null) {
            return 0;
        }
        try {
            MemorySegment heap = MemorySegment.ofArray(a);
            long address = ((MemorySegment) MEMMOVE.invokeExact(heap, heap, 0L)).address();
            int vector = F.vectorByteSize();
            return (int) ((vector - Math.floorMod(address, vector)) % vector) / Float.BYTES;
        } catch (Throwable t) {
            return 0;
        }
    }

    private static void checkSize(String what, MemorySegment seg, long need) {
        if (seg.byteSize() < need) {
            throw new IllegalArgumentException("matmul: " + what + " has " + seg.byteSize()
                    + " bytes, needs " + need);
        }
    }

    static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }

    private static int ceilDiv(int v, int m) {
        return (v + m - 1) / m;
    }

    // ---------------------------------------------------------------------------------------
    // Blocked path: out[pass + r0 : pass + r1, j0:j1] for one panel (j1 - j0 <= NC) and a chunk
    // [r0, r1) of the pass's rows (at most CHUNK). xs holds the pass's x rows packed (pRowsP
    // rows, see packX). Results accumulate over the k-blocks in the float[] tile s.c
    // [CHUNK, NC] and are copied to out once at the end.

    private static void blocked(MemorySegment out, float[] xs, int xPad, int pRowsP, MemorySegment w, DType wType,
                                int n, int k, int pass, int r0, int r1, int j0, int j1, Scratch s) {
        int nb = j1 - j0, rowsIn = r1 - r0;
        float[] c = s.c;
        int wPad = alignPad(s.w); // the packed panel starts at s.w[wPad]
        for (int kp = 0; kp < k; kp += KC) {
            int kb = Math.min(KC, k - kp);
            int kbp = roundUp(kb, L); // packed row stride: the k-block padded with zeros
            packW(w, wType, k, j0, nb, kp, kb, kbp, wPad, s);
            boolean accumulate = kp > 0;
            int xBlock = xPad + pRowsP * kp + r0 * kbp; // this k-block's tiles, from row r0 on
            for (int rb = 0; rb < rowsIn; rb += MC) {
                int mb = Math.min(MC, rowsIn - rb);
                for (int jj = 0; jj < nb; jj += NR) {
                    for (int i = rb; i < rb + mb; i += MR) {
                        kernel(xs, xBlock + i * kbp, s.w, wPad + jj * kbp, kbp, c, i * NC + jj, accumulate, s.lanes);
                    }
                }
            }
        }
        for (int i = 0; i < rowsIn; i++) {
            MemorySegment.copy(c, i * NC, out, F32_LE, ((long) (pass + r0 + i) * n + j0) * 4, nb);
        }
    }

    /**
     * The 2 × 4 micro-kernel: dot products of the 2 packed x rows at xp[xo...] with the 4
     * packed w rows at wp[wo...] over the k-block (kbp columns); the 8 sums are stored (first
     * k-block) or added to c[co + i·NC + q]. One step of the loop: 6 loads and 8 FMAs; C2
     * compiles it to a 19-instruction loop with no spills and does not unroll it (unrolled, or
     * with 12 accumulators, it spills on AVX2's 16 registers).
     */
    private static void kernel(float[] xp, int xo, float[] wp, int wo, int kbp, float[] c, int co,
                               boolean accumulate, float[] lanes) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        // Tiles are chunk-major (see packW): per k-chunk, 4 w vectors and (in xp) 2 x vectors.
        for (int kk = 0; kk < kbp; kk += L) {
            int wi = wo + kk * NR, xi = xo + kk * MR;
            FloatVector b0 = FloatVector.fromArray(F, wp, wi);
            FloatVector b1 = FloatVector.fromArray(F, wp, wi + L);
            FloatVector b2 = FloatVector.fromArray(F, wp, wi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, wp, wi + 3 * L);
            FloatVector a = FloatVector.fromArray(F, xp, xi);
            a00 = a.fma(b0, a00);
            a01 = a.fma(b1, a01);
            a02 = a.fma(b2, a02);
            a03 = a.fma(b3, a03);
            a = FloatVector.fromArray(F, xp, xi + L);
            a10 = a.fma(b0, a10);
            a11 = a.fma(b1, a11);
            a12 = a.fma(b2, a12);
            a13 = a.fma(b3, a13);
        }
        // The 8 sums, each in lane order (the same bits whether this runs compiled or not).
        a00.intoArray(lanes, 0);
        a01.intoArray(lanes, L);
        a02.intoArray(lanes, 2 * L);
        a03.intoArray(lanes, 3 * L);
        a10.intoArray(lanes, 4 * L);
        a11.intoArray(lanes, 5 * L);
        a12.intoArray(lanes, 6 * L);
        a13.intoArray(lanes, 7 * L);
        int c1 = co + NC;
        for (int q = 0; q < 8; q++) {
            float sum = lanes[q * L];
            for (int i = 1; i < L; i++) {
                sum += lanes[q * L + i];
            }
            int at = q < 4 ? co + q : c1 + q - 4;
            c[at] = accumulate ? c[at] + sum : sum;
        }
    }

    /*
     * Packed layouts. A k-block of kbp columns is split into kbp / L chunks of one vector. A
     * tile of R rows (R = NR for w, MR for x) is stored chunk-major: chunk c of row q sits at
     * tile + c·R·L + q·L, so each step of the micro-kernel reads R·L consecutive floats and all
     * its loads share one index.
     */

    /**
     * Packs rows [from, to) of a pass (rows pass .. pass + pRows of x) into xs: k-block kp
     * starts at xPad + pRowsP · kp (pRowsP = pRows rounded up to MR) and holds the pass's tiles
     * of MR rows, tile i at i · MR · kbp. A missing last row of the last tile is zero.
     */
    private static void packX(MemorySegment x, int k, int pass, int pRows, int from, int to, float[] xs, int xPad,
                              Scratch s) {
        int pRowsP = roundUp(pRows, MR);
        for (int kp = 0; kp < k; kp += KC) {
            int kb = Math.min(KC, k - kp), kbp = roundUp(kb, L);
            for (int i = from; i < to; i++) {
                int d = xPad + pRowsP * kp + (i / MR) * MR * kbp + (i % MR) * L;
                widen(x, DType.F32, ((long) (pass + i) * k + kp) * 4, kb, kbp, xs, d, MR * L, s);
            }
            if (to == pRows) {
                for (int i = pRows; i < pRowsP; i++) {
                    zero(xs, xPad + pRowsP * kp + (i / MR) * MR * kbp + (i % MR) * L, kbp, MR * L);
                }
            }
        }
    }

    /** w[j0:j0+nb, kp:kp+kb] widened to fp32 -> s.w from wPad on: tiles of NR rows, padding zero. */
    private static void packW(MemorySegment w, DType wType, int k, int j0, int nb, int kp, int kb, int kbp,
                              int wPad, Scratch s) {
        for (int i = 0; i < nb; i++) {
            int d = wPad + (i / NR) * NR * kbp + (i % NR) * L;
            widen(w, wType, ((long) (j0 + i) * k + kp) * wType.bytes(), kb, kbp, s.w, d, NR * L, s);
        }
        for (int i = nb; i % NR != 0; i++) {
            zero(s.w, wPad + (i / NR) * NR * kbp + (i % NR) * L, kbp, NR * L);
        }
    }

    private static void zero(float[] dst, int d, int kbp, int stride) {
        for (int c = 0; c < kbp; c += L, d += stride) {
            Arrays.fill(dst, d, d + L, 0f);
        }
    }

    /**
     * count (&le; KC) values of type t at byte offset off, widened to fp32 and zero-padded up to
     * kbp (a multiple of L) -> dst, vector chunk c at dst[d + c·stride ...]. The row is first
     * bulk-copied into the scratch arrays (a plain memcpy; per-vector segment loads would pay
     * bounds and liveness checks), then widened array to array: bf16 with a Vector API shift;
     * fp16 with a scalar Float.float16ToFloat loop, which C2 vectorizes to vcvtph2ps (measured
     * 24 G values/s, five times a Vector API bit-twiddling version).
     */
    static void widen(MemorySegment src, DType t, long off, int count, int kbp, float[] dst, int d, int stride,
                      Scratch s) {
        float[] row = s.rowF;
        if (t == DType.F32) {
            MemorySegment.copy(src, F32_LE, off, row, 0, count);
        } else if (t == DType.F16) {
            f16ToFloat(src, off, row, 0, count);
        }
        int vec = count - count % L;
        int c = 0, o = d;
        if (t == DType.BF16) {
            short[] h = s.rowS;
            MemorySegment.copy(src, I16_LE, off, h, 0, count);
            for (; c < vec; c += L, o += stride) {
                ((IntVector) ShortVector.fromArray(S, h, c).convertShape(VectorOperators.S2I, I, 0))
                        .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, o);
            }
            for (int e = 0; e < L && c < kbp; e++, c++) { // the partial chunk
                dst[o + e] = c < count ? DType.bf16ToFloat(h[c]) : 0f;
            }
        } else {
            for (; c < vec; c += L, o += stride) {
                FloatVector.fromArray(F, row, c).intoArray(dst, o);
            }
            for (int e = 0; e < L && c < kbp; e++, c++) {
                dst[o + e] = c < count ? row[c] : 0f;
            }
        }
        if (c < kbp) { // whole zero chunks
            zero(dst, o + stride, kbp - c, stride);
        }
    }

    /**
     * m fp16 values at byte offset off -> dst[d:d+m]. A plain loop in a method of its own: C2
     * vectorizes it to vcvtph2ps (the same loop inlined into a big method was not vectorized).
     */
    private static void f16ToFloat(MemorySegment h, long off, float[] dst, int d, int m) {
        for (int e = 0; e < m; e++) {
            dst[d + e] = Float.float16ToFloat(h.get(I16_LE, off + 2L * e));
        }
    }

    /** count values of type t at byte offset off -> dst[d...] as fp32, contiguous (for tests). */
    static void widen(MemorySegment src, DType t, long off, int count, float[] dst, int d) {
        Scratch s = new Scratch();
        float[] tmp = new float[KC];
        for (int c = 0; c < count; c += KC) {
            int m = Math.min(KC, count - c);
            widen(src, t, off + (long) c * t.bytes(), m, roundUp(m, L), tmp, 0, L, s);
            System.arraycopy(tmp, 0, dst, d + c, m);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Direct path (rows < DIRECT_ROWS: decode, short chunks): w rows [from, to) in groups of 4,
    // read straight from the segment and widened in registers (fp16: the group is widened into
    // a buffer first); each group is dotted with the x rows two at a time (2 × 4 accumulators,
    // as in the blocked kernel). Memory-bound on w: every w byte is read once from DRAM, and
    // again from L1/L2 for every further pair of x rows.

    private static void direct(MemorySegment out, MemorySegment x, MemorySegment w, DType wType,
                               int rows, int n, int k, int from, int to, Scratch s) {
        int kv = k - k % L; // vector part of k; the rest is a scalar tail
        long wRow = (long) k * wType.bytes();
        float[] wf = wType == DType.F16 ? s.group(4 * k) : null;
        for (int j = from; j < to; j += 4) {
            int nbj = Math.min(4, to - j);
            // Missing rows of the last group repeat row j (cheap; their results are not stored).
            long o0 = j * wRow, o1 = (nbj > 1 ? j + 1 : j) * wRow;
            long o2 = (nbj > 2 ? j + 2 : j) * wRow, o3 = (nbj > 3 ? j + 3 : j) * wRow;
            if (wf != null) { // fp16: widen the group once (vcvtph2ps, see widen) into wf [4, k]
                f16ToFloat(w, o0, wf, 0, k);
                f16ToFloat(w, o1, wf, k, k);
                f16ToFloat(w, o2, wf, 2 * k, k);
                f16ToFloat(w, o3, wf, 3 * k, k);
            }
            for (int r = 0; r < rows; r += 2) {
                boolean two = r + 1 < rows; // else row r again, not stored
                long x0 = (long) r * k * 4, x1 = two ? x0 + (long) k * 4 : x0;
                FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
                FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
                switch (wType) {
                    case F32 -> {
                        for (int c = 0; c < kv; c += L) {
                            FloatVector b0 = FloatVector.fromMemorySegment(F, w, o0 + c * 4L, LE);
                            FloatVector b1 = FloatVector.fromMemorySegment(F, w, o1 + c * 4L, LE);
                            FloatVector b2 = FloatVector.fromMemorySegment(F, w, o2 + c * 4L, LE);
                            FloatVector b3 = FloatVector.fromMemorySegment(F, w, o3 + c * 4L, LE);
                            FloatVector a = FloatVector.fromMemorySegment(F, x, x0 + c * 4L, LE);
                            a00 = a.fma(b0, a00);
                            a01 = a.fma(b1, a01);
                            a02 = a.fma(b2, a02);
                            a03 = a.fma(b3, a03);
                            a = FloatVector.fromMemorySegment(F, x, x1 + c * 4L, LE);
                            a10 = a.fma(b0, a10);
                            a11 = a.fma(b1, a11);
                            a12 = a.fma(b2, a12);
                            a13 = a.fma(b3, a13);
                        }
                    }
                    case BF16 -> {
                        for (int c = 0; c < kv; c += L) {
                            FloatVector b0 = ((IntVector) ShortVector.fromMemorySegment(S, w, o0 + c * 2L, LE)
                                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                                    .reinterpretAsFloats();
                            FloatVector b1 = ((IntVector) ShortVector.fromMemorySegment(S, w, o1 + c * 2L, LE)
                                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                                    .reinterpretAsFloats();
                            FloatVector b2 = ((IntVector) ShortVector.fromMemorySegment(S, w, o2 + c * 2L, LE)
                                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                                    .reinterpretAsFloats();
                            FloatVector b3 = ((IntVector) ShortVector.fromMemorySegment(S, w, o3 + c * 2L, LE)
                                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                                    .reinterpretAsFloats();
                            FloatVector a = FloatVector.fromMemorySegment(F, x, x0 + c * 4L, LE);
                            a00 = a.fma(b0, a00);
                            a01 = a.fma(b1, a01);
                            a02 = a.fma(b2, a02);
                            a03 = a.fma(b3, a03);
                            a = FloatVector.fromMemorySegment(F, x, x1 + c * 4L, LE);
                            a10 = a.fma(b0, a10);
                            a11 = a.fma(b1, a11);
                            a12 = a.fma(b2, a12);
                            a13 = a.fma(b3, a13);
                        }
                    }
                    case F16 -> {
                        for (int c = 0; c < kv; c += L) {
                            FloatVector b0 = FloatVector.fromArray(F, wf, c);
                            FloatVector b1 = FloatVector.fromArray(F, wf, k + c);
                            FloatVector b2 = FloatVector.fromArray(F, wf, 2 * k + c);
                            FloatVector b3 = FloatVector.fromArray(F, wf, 3 * k + c);
                            FloatVector a = FloatVector.fromMemorySegment(F, x, x0 + c * 4L, LE);
                            a00 = a.fma(b0, a00);
                            a01 = a.fma(b1, a01);
                            a02 = a.fma(b2, a02);
                            a03 = a.fma(b3, a03);
                            a = FloatVector.fromMemorySegment(F, x, x1 + c * 4L, LE);
                            a10 = a.fma(b0, a10);
                            a11 = a.fma(b1, a11);
                            a12 = a.fma(b2, a12);
                            a13 = a.fma(b3, a13);
                        }
                    }
                }
                float[] sum = {
                    LaneSum.of(a00), LaneSum.of(a01),
                    LaneSum.of(a02), LaneSum.of(a03),
                    LaneSum.of(a10), LaneSum.of(a11),
                    LaneSum.of(a12), LaneSum.of(a13)};
                for (int i = 0; i < (two ? 2 : 1); i++) {
                    long xo = i == 0 ? x0 : x1;
                    for (int q = 0; q < nbj; q++) {
                        float acc = sum[i * 4 + q];
                        for (int c = kv; c < k; c++) { // scalar tail of k
                            acc += x.get(F32_LE, xo + c * 4L) * weight(w, wType, j + q, k, c);
                        }
                        out.set(F32_LE, ((long) (r + i) * n + j + q) * 4, acc);
                    }
                }
            }
        }
    }

    /** w[j, c] widened to fp32 (scalar). */
    static float weight(MemorySegment w, DType wType, int j, int k, int c) {
        long i = (long) j * k + c;
        return switch (wType) {
            case F32 -> w.get(F32_LE, i * 4);
            case BF16 -> DType.bf16ToFloat(w.get(I16_LE, i * 2));
            case F16 -> Float.float16ToFloat(w.get(I16_LE, i * 2));
        };
    }

    // ---------------------------------------------------------------------------------------

    /**
     * The plain triple loop, single-threaded, double accumulation; weights widened exactly as
     * the fast path does (both widenings are exact). The oracle for tests.
     */
    public static void reference(MemorySegment out, MemorySegment x, MemorySegment w, DType wType,
                                 int rows, int n, int k) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int c = 0; c < k; c++) {
                    acc += (double) x.get(F32_LE, ((long) r * k + c) * 4) * weight(w, wType, j, k, c);
                }
                out.set(F32_LE, ((long) r * n + j) * 4, (float) acc);
            }
        }
    }
}
