package dev.stepmem.model;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Tensor;

/**
 * Keys and values of the tokens seen so far, per layer: k[l], v[l] [capacity, kvDim].
 * Keys are stored BEFORE RoPE (METHOD.md §1): each forward rotates them at contiguous positions
 * 0..length-1, so the chunked-prefill method can evict rows and re-index the survivors.
 */
public final class KvCache implements AutoCloseable {
    private final Backend backend;
    private final Tensor[] keys;
    private final Tensor[] values;
    private final int capacity;
    private final int[] lengths; // rows held per layer: per-layer memory schedules keep different sizes

    public KvCache(Backend backend, ModelConfig config, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("KV cache capacity must be positive, got " + capacity);
        }
        this.backend = backend;
        this.capacity = capacity;
        this.keys = new Tensor[config.nLayers()];
        this.values = new Tensor[config.nLayers()];
        this.lengths = new int[config.nLayers()];
        try {
            for (int l = 0; l < config.nLayers(); l++) {
                keys[l] = backend.allocate("kv.k." + l, capacity, config.kvDim());
                values[l] = backend.allocate("kv.v." + l, capacity, config.kvDim());
            }
        } catch (RuntimeException e) {
            close(); // give back the layers already allocated
            throw e;
        }
    }

    public Tensor keys(int layer) {
        return keys[layer];
    }

    public Tensor values(int layer) {
        return values[layer];
    }

    public int capacity() {
        return capacity;
    }

    public int layers() {
        return lengths.length;
    }

    /** Tokens cached in layer 0 (all layers, unless a per-layer memory schedule made them differ). */
    public int length() {
        return lengths[0];
    }

    /** Tokens cached in one layer. */
    public int length(int layer) {
        return lengths[layer];
    }

    /** Sets every layer's cached length, e.g. 0 to start a new sequence. */
    public void setLength(int length) {
        for (int l = 0; l < lengths.length; l++) {
            setLength(l, length);
        }
    }

    /** Sets one layer's cached length, e.g. after the caller compacted its rows. */
    public void setLength(int layer, int length) {
        if (length < 0 || length > capacity) {
            throw new IllegalArgumentException("KV cache length " + length + " outside [0, " + capacity + "]");
        }
        lengths[layer] = length;
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null) {
                backend.free(keys[l]);
                keys[l] = null;
            }
            if (values[l] != null) {
                backend.free(values[l]);
                values[l] = null;
            }
        }
    }
}
