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
    private int length;

    public KvCache(Backend backend, ModelConfig config, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("KV cache capacity must be positive, got " + capacity);
        }
        this.backend = backend;
        this.capacity = capacity;
        this.keys = new Tensor[config.nLayers()];
        this.values = new Tensor[config.nLayers()];
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

    /** Tokens cached (the same in every layer). */
    public int length() {
        return length;
    }

    /** Sets the cached length, e.g. after the caller compacted the rows. */
    public void setLength(int length) {
        if (length < 0 || length > capacity) {
            throw new IllegalArgumentException("KV cache length " + length + " outside [0, " + capacity + "]");
        }
        this.length = length;
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
