package dev.stepmem.model.load;

import dev.stepmem.model.ModelConfig;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.stream.IntStream;

/**
 * Splits InternLM2's fused {@code attention.wqkv.weight} into separate wq, wk, wv.
 *
 * <p>The fused matrix is [(nHeads + 2·nKv)·hs, d], and its rows are interleaved per KV group, as
 * modeling_internlm2.py reads them:
 * <pre>
 *   qkv = wqkv(x).view(b, t, nKv, groupSize + 2, hs)     # groupSize = nHeads / nKv
 *   q = qkv[..., :groupSize, :]  (-> heads g·groupSize .. g·groupSize + groupSize - 1)
 *   k = qkv[..., -2, :]          (-> kv head g)
 *   v = qkv[..., -1, :]          (-> kv head g)
 * </pre>
 * so group g occupies rows [g·(groupSize+2)·hs, (g+1)·(groupSize+2)·hs): its groupSize query heads
 * (hs rows each), then its key head, then its value head.
 *
 * <p>wq [d, d], wk [kvDim, d] and wv [kvDim, d] must each be one contiguous [out, in] tensor, which
 * the interleaved rows are not, so the rows are copied once, in the file's dtype, into native
 * buffers allocated from the loader's arena (closed with the weights). This is the loader's only
 * copy of a matrix; nothing goes through the Java heap.
 */
final class InternLm2Qkv {
    private InternLm2Qkv() {
    }

    record Split(HostTensor wq, HostTensor wk, HostTensor wv) {
    }

    /** fused: the wqkv entry, already checked to be [(nHeads + 2·nKv)·hs, d]. */
    static Split split(String prefix, SafetensorsFile.Entry fused, ModelConfig c, Arena arena) {
        int d = c.dim(), hs = c.headSize(), group = c.groupSize(), nKv = c.nKvHeads();
        long headBytes = (long) hs * d * fused.dtype().bytes();     // one head: hs rows of d
        // every byte of q, k and v is overwritten below: no need to zero them first
        MemorySegment q = UninitializedMemory.allocate(arena, headBytes * c.nHeads());   // [d, d]
        MemorySegment k = UninitializedMemory.allocate(arena, headBytes * nKv);          // [kvDim, d]
        MemorySegment v = UninitializedMemory.allocate(arena, headBytes * nKv);          // [kvDim, d]
        MemorySegment src = fused.data();
        IntStream.range(0, nKv).parallel().forEach(g -> {
            long groupBase = (long) g * (group + 2) * headBytes;
            for (int j = 0; j < group; j++) {
                MemorySegment.copy(src, groupBase + j * headBytes, q, ((long) g * group + j) * headBytes, headBytes);
            }
            MemorySegment.copy(src, groupBase + group * headBytes, k, g * headBytes, headBytes);
            MemorySegment.copy(src, groupBase + (group + 1) * headBytes, v, g * headBytes, headBytes);
        });
        return new Split(
                new HostTensor(prefix + "wq", fused.dtype(), d, d, q),
                new HostTensor(prefix + "wk", fused.dtype(), c.kvDim(), d, k),
                new HostTensor(prefix + "wv", fused.dtype(), c.kvDim(), d, v));
    }
}
