package dev.stepmem.model.load;

import dev.stepmem.backend.RopeStyle;
import dev.stepmem.model.LayerWeights;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a llama2.c "v0" checkpoint (karpathy/llama2.c, run.c) by memory-mapping it: tensors are
 * zero-copy slices of the mapping. Layout: 7 little-endian int32 (dim, hidden_dim, n_layers,
 * n_heads, n_kv_heads, vocab_size, seq_len; a negative vocab_size means an untied classifier),
 * then fp32 arrays [out][in], all layers of one kind together:
 * token_embedding [V, d], rms_att [L, d], wq [L, d, d], wk [L, kv, d], wv [L, kv, d],
 * wo [L, d, d], rms_ffn [L, d], w1 [L, h, d], w2 [L, d, h], w3 [L, h, d], rms_final [d],
 * two legacy RoPE tables [seq_len, hs/2] (skipped), classifier [V, d] if untied.
 */
public final class Llama2cLoader {
    private static final int HEADER_BYTES = 7 * Integer.BYTES;
    private static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Llama2cLoader() {
    }

    public static ModelWeights load(Path file) {
        String name = file.toString();
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(name, "no such file (run `stepmem fetch` for stories15M)");
        } catch (IOException e) {
            throw new CheckpointException(name, "cannot read: " + e.getMessage(), e);
        }
        if (size < HEADER_BYTES) {
            throw new CheckpointException(name, "truncated: " + size + " bytes, shorter than the 28-byte header");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            ModelWeights w = parse(name, all, arena);
            return w;
        } catch (java.nio.file.AccessDeniedException e) {
            arena.close();
            throw new CheckpointException(name, "cannot read: permission denied", e);
        } catch (IOException e) {
            arena.close();
            throw new CheckpointException(name, "cannot map: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static ModelWeights parse(String name, MemorySegment all, Arena arena) {
        int[] h = new int[7];
        for (int i = 0; i < 7; i++) {
            h[i] = all.get(I32_LE, 4L * i);
        }
        int dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kvHeads = h[4], vocab = h[5], seqLen = h[6];
        boolean tied = vocab > 0;
        vocab = Math.abs(vocab);
        ModelConfig config;
        try {
            config = new ModelConfig("llama2c", dim, hidden, layers, heads, kvHeads, vocab, seqLen, 1e-5f,
                    10000.0, RopeStyle.INTERLEAVED, 0, tied);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(name, "header is not a llama2.c checkpoint: " + e.getMessage());
        }
        long expected;
        try { // exact: a hostile header's product must not wrap to a small or negative size
            long d = dim, hd = hidden, kv = config.kvDim(), v = vocab, l = layers;
            long perLayer = Math.addExact(Math.addExact(Math.multiplyExact(2, d), Math.multiplyExact(2, d * d)),
                    Math.addExact(Math.multiplyExact(2 * kv, d), Math.multiplyExact(3 * hd, d)));
            long floats = Math.addExact(Math.addExact(Math.multiplyExact(v * d, tied ? 1 : 2), d),
                    Math.addExact(Math.multiplyExact(l, perLayer), Math.multiplyExact(2L * seqLen, config.headSize() / 2)));
            expected = Math.addExact(HEADER_BYTES, Math.multiplyExact(floats, 4));
        } catch (ArithmeticException e) {
            throw new CheckpointException(name, "header is not a llama2.c checkpoint: its sizes (dim " + dim
                    + ", hidden " + hidden + ", layers " + layers + ", heads " + heads + ", kv heads " + kvHeads
                    + ", vocab " + vocab + ", seq_len " + seqLen + ") describe more than 2^63 bytes");
        }
        if (all.byteSize() != expected) {
            throw new CheckpointException(name, (all.byteSize() < expected ? "truncated" : "has trailing bytes")
                    + ": the header (dim " + dim + ", hidden " + hidden + ", layers " + layers + ", heads " + heads
                    + ", kv heads " + kvHeads + ", vocab " + vocab + ", seq_len " + seqLen + ") needs "
                    + expected + " bytes, the file has " + all.byteSize());
        }
        Cursor c = new Cursor(all, HEADER_BYTES);
        HostTensor emb = c.take("token_embedding", vocab, dim);
        HostTensor[] rmsAtt = c.perLayer("rms_att", layers, 1, dim);
        HostTensor[] wq = c.perLayer("wq", layers, dim, dim);
        HostTensor[] wk = c.perLayer("wk", layers, config.kvDim(), dim);
        HostTensor[] wv = c.perLayer("wv", layers, config.kvDim(), dim);
        HostTensor[] wo = c.perLayer("wo", layers, dim, dim);
        HostTensor[] rmsFfn = c.perLayer("rms_ffn", layers, 1, dim);
        HostTensor[] w1 = c.perLayer("w1", layers, hidden, dim);
        HostTensor[] w2 = c.perLayer("w2", layers, dim, hidden);
        HostTensor[] w3 = c.perLayer("w3", layers, hidden, dim);
        HostTensor rmsFinal = c.take("rms_final", 1, dim);
        c.skip(2L * seqLen * (config.headSize() / 2) * 4); // legacy freq_cis_real / freq_cis_imag
        HostTensor classifier = tied ? emb : c.take("classifier", vocab, dim);
        List<LayerWeights> list = new ArrayList<>(layers);
        for (int i = 0; i < layers; i++) {
            list.add(new LayerWeights(rmsAtt[i], wq[i], wk[i], wv[i], wo[i], rmsFfn[i], w1[i], w2[i], w3[i]));
        }
        return new ModelWeights(config, emb, list, rmsFinal, classifier, name, arena::close);
    }

    /** Walks the mapping, cutting consecutive fp32 tensors. */
    private static final class Cursor {
        private final MemorySegment all;
        private long offset;

        Cursor(MemorySegment all, long offset) {
            this.all = all;
            this.offset = offset;
        }

        HostTensor take(String name, int rows, int cols) {
            long bytes = (long) rows * cols * 4;
            HostTensor t = new HostTensor(name, DType.F32, rows, cols, all.asSlice(offset, bytes));
            offset += bytes;
            return t;
        }

        HostTensor[] perLayer(String name, int layers, int rows, int cols) {
            HostTensor[] out = new HostTensor[layers];
            for (int i = 0; i < layers; i++) {
                out[i] = take("layers." + i + "." + name, rows, cols);
            }
            return out;
        }

        void skip(long bytes) {
            offset += bytes;
        }
    }
}
