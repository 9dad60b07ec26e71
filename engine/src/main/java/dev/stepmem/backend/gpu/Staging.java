package dev.stepmem.backend.gpu;

import java.util.EnumMap;
import java.util.Map;

/**
 * Small device buffers for an op's host-side arguments and results (token ids, RoPE frequencies,
 * kept indices, window sums), one per purpose, grown on demand and reused. They stand for the
 * Java arrays the CPU backends use for the same data, so, like those, they are not charged to the
 * memory ledger (they are at most nHeads x S floats, against layers x S x kvDim of KV memory).
 * One is not small: NARROWED holds a vendor GEMM's 16-bit copy of its activations (up to
 * [c, hidden] x 2 bytes, CUDA with cuBLAS only); it is left out of the ledger too, so ledgers
 * compare across devices, and the driver's figure (CudaBackend.memoryCrossCheck) includes it.
 */
final class Staging implements AutoCloseable {
    enum Slot { TOKENS, FREQUENCIES, INDICES, COUNTS, SUMS, STATS, SCORES, FLAGS, TARGETS, LOSSES, NARROWED }

    private final DeviceRuntime runtime;
    private final Map<Slot, DeviceBuffer> buffers = new EnumMap<>(Slot.class);

    Staging(DeviceRuntime runtime) {
        this.runtime = runtime;
    }

    /** A buffer of at least {@code bytes} bytes for this purpose (its old contents are not kept). */
    DeviceBuffer get(Slot slot, long bytes) {
        DeviceBuffer b = buffers.get(slot);
        if (b == null || b.bytes() < bytes) {
            if (b != null) {
                runtime.free(b);
            }
            b = runtime.allocate(Math.max(bytes, 256));
            buffers.put(slot, b);
        }
        return b;
    }

    @Override
    public void close() {
        buffers.values().forEach(runtime::free);
        buffers.clear();
    }
}
