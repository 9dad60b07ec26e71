package dev.stepmem.model.load;

import dev.stepmem.model.LayerWeights;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Seeded random weights of any shape, for timing and memory runs of models whose checkpoints are
 * not at hand (LLaMA-2-7B, InternLM2-7B: 13.5 / 15.5 GB in BF16). All tensors live off-heap in
 * one shared arena, closed with the weights; the Java heap holds only the tensor records.
 *
 * <p>Values: every matrix element is uniform in (-A, A) with A = 0.02·√3 (standard deviation
 * 0.02, like the usual initialiser; 65536 levels), from a counter-based generator, splitmix64 of
 * (seed, tensor, element index / 4): the result depends on the seed only, not on the threads that
 * filled it. Norm weights are 1.0. Matrices are allocated uninitialised ({@link
 * UninitializedMemory}) so the parallel fill is the only pass over them. Such a model's forward
 * stays finite (RMSNorm keeps activations at unit scale), which is all timing and memory
 * measurements need.
 */
public final class SyntheticWeights {
    /** Half-width of the uniform distribution: standard deviation 0.02. */
    public static final float AMPLITUDE = (float) (0.02 * Math.sqrt(3.0));
    private static final int CHUNK = 1 << 16;   // elements per parallel task, a multiple of 4
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private SyntheticWeights() {
    }

    /**
     * Allocates and fills all weights of config: matrices in matrixType, norms F32 [1, d] = 1.0,
     * classifier = embedding when config.tiedEmbeddings().
     */
    public static ModelWeights create(ModelConfig config, DType matrixType, long seed) {
        Arena arena = Arena.ofShared();
        try {
            return build(config, matrixType, seed, arena);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Weights with every shape and dtype of {@link #create} but no memory behind them
     * ({@link HostTensor#shapeOnly}): what the simulated device needs to model a 7B model without
     * allocating 13.5 GB. The CPU backends refuse them.
     */
    public static ModelWeights shapesOnly(ModelConfig config, DType matrixType) {
        return build(config, new Tensors() {
            @Override
            public HostTensor random(String name, int rows, int cols) {
                return HostTensor.shapeOnly(name, matrixType, rows, cols);
            }

            @Override
            public HostTensor ones(String name, int n) {
                return HostTensor.shapeOnly(name, DType.F32, 1, n);
            }
        }, "shapes only " + matrixType, null);
    }

    private static ModelWeights build(ModelConfig c, DType t, long seed, Arena arena) {
        return build(c, new Filler(arena, t, seed), "synthetic seed=" + seed + " " + t, arena);
    }

    /** Where the tensors of {@link #build} come from. */
    private interface Tensors {
        HostTensor random(String name, int rows, int cols);

        HostTensor ones(String name, int n);
    }

    private static ModelWeights build(ModelConfig c, Tensors f, String source, AutoCloseable owner) {
        int d = c.dim(), h = c.hiddenDim(), kv = c.kvDim(), v = c.vocabSize();
        HostTensor emb = f.random("tok_embeddings", v, d);                 // [V, d]
        List<LayerWeights> layers = new ArrayList<>(c.nLayers());
        for (int l = 0; l < c.nLayers(); l++) {
            String p = "layers." + l + ".";
            layers.add(new LayerWeights(
                    f.ones(p + "attention_norm", d),                         // [1, d]
                    f.random(p + "wq", d, d),                                // [d, d]
                    f.random(p + "wk", kv, d),                               // [kvDim, d]
                    f.random(p + "wv", kv, d),                               // [kvDim, d]
                    f.random(p + "wo", d, d),                                // [d, d]
                    f.ones(p + "ffn_norm", d),                               // [1, d]
                    f.random(p + "w1", h, d),                                // [h, d] gate
                    f.random(p + "w2", d, h),                                // [d, h] down
                    f.random(p + "w3", h, d)));                              // [h, d] up
        }
        HostTensor rmsFinal = f.ones("norm", d);                             // [1, d]
        HostTensor classifier = c.tiedEmbeddings() ? emb : f.random("output", v, d);   // [V, d]
        return new ModelWeights(c, emb, layers, rmsFinal, classifier, source, owner);
    }

    /** Allocates tensors in order; the n-th random tensor draws from stream n of the seed. */
    private static final class Filler implements Tensors {
        private final Arena arena;
        private final DType type;
        private final long seed;
        private int tensorIndex;

        Filler(Arena arena, DType type, long seed) {
            this.arena = arena;
            this.type = type;
            this.seed = seed;
        }

        @Override
        public HostTensor random(String name, int rows, int cols) {
            long n = (long) rows * cols;
            MemorySegment seg = UninitializedMemory.allocate(arena, n * type.bytes());   // every byte is filled
            fill(seg, type, n, streamKey(seed, tensorIndex++));
            return new HostTensor(name, type, rows, cols, seg);
        }

        @Override
        public HostTensor ones(String name, int n) {
            MemorySegment seg = arena.allocate((long) n * Float.BYTES, 64);
            for (int i = 0; i < n; i++) {
                seg.setAtIndex(HostTensor.F32_LE, i, 1.0f);
            }
            return new HostTensor(name, DType.F32, 1, n, seg);
        }
    }

    /** The key of random tensor number tensorIndex under seed. */
    static long streamKey(long seed, int tensorIndex) {
        return mix(mix(seed) + GOLDEN * (tensorIndex + 1L));
    }

    /**
     * Element i of the stream with this key: 16 bits of splitmix64(key, i / 4) (four elements
     * per hash: hashing dominates the fill), as a uniform value in (-AMPLITUDE, AMPLITUDE).
     */
    static float value(long key, long i) {
        return unit(mix(key + GOLDEN * (i >>> 2)) >>> ((i & 3) << 4));
    }

    /** The low 16 bits of bits as the midpoint of one of 65536 equal cells of (-A, A). */
    private static float unit(long bits) {
        return (((bits & 0xFFFF) + 0.5f) * 0x1p-15f - 1f) * AMPLITUDE;
    }

    /**
     * Fills n elements in parallel chunks; element i gets value(key, i) rounded to dtype t. The 65536
     * possible values are converted once into a table (at most 256 KB of heap), so the loop does
     * one hash and four table look-ups per four elements.
     */
    private static void fill(MemorySegment seg, DType t, long n, long key) {
        float[] f32 = new float[1 << 16];
        short[] half = new short[1 << 16];
        for (int b = 0; b < f32.length; b++) {
            f32[b] = unit(b);
            half[b] = t == DType.F16 ? DType.floatToF16(f32[b]) : DType.floatToBf16(f32[b]);
        }
        int chunks = Math.toIntExact((n + CHUNK - 1) / CHUNK);
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            long from = (long) ch * CHUNK;                           // a multiple of 4
            int len = (int) Math.min(CHUNK, n - from);
            MemorySegment s = seg.asSlice(from * t.bytes(), (long) len * t.bytes());
            int quads = len & ~3;
            for (int j = 0; j < quads; j += 4) {
                long bits = mix(key + GOLDEN * ((from + j) >>> 2));
                int b0 = (int) bits & 0xFFFF, b1 = (int) (bits >>> 16) & 0xFFFF;
                int b2 = (int) (bits >>> 32) & 0xFFFF, b3 = (int) (bits >>> 48);
                if (t == DType.F32) {
                    s.setAtIndex(HostTensor.F32_LE, j, f32[b0]);
                    s.setAtIndex(HostTensor.F32_LE, j + 1, f32[b1]);
                    s.setAtIndex(HostTensor.F32_LE, j + 2, f32[b2]);
                    s.setAtIndex(HostTensor.F32_LE, j + 3, f32[b3]);
                } else {
                    s.set(I64_LE, 2L * j, (half[b0] & 0xFFFFL) | (half[b1] & 0xFFFFL) << 16
                            | (half[b2] & 0xFFFFL) << 32 | (long) half[b3] << 48);
                }
            }
            for (int j = quads; j < len; j++) {                     // tail of the last chunk
                float x = value(key, from + j);
                if (t == DType.F32) {
                    s.setAtIndex(HostTensor.F32_LE, j, x);
                } else {
                    s.setAtIndex(HostTensor.I16_LE, j, t == DType.F16 ? DType.floatToF16(x) : DType.floatToBf16(x));
                }
            }
        });
    }

    /** splitmix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
