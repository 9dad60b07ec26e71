package dev.stepmem.tokenizer;

import java.util.Arrays;

/**
 * Open-addressing map from a token pair (two non-negative ids) to a packed merge result. BPE
 * looks a pair up for every candidate, millions of times for a long text, so no boxed keys.
 */
final class PairTable {
    private long[] keys;
    private long[] values;
    private int size;

    PairTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new long[cap];
        Arrays.fill(keys, -1L);
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** Later puts replace earlier ones, as when Hugging Face collects merges into a map. */
    void put(int left, int right, long value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        long k = key(left, right);
        int i = slot(k);
        if (keys[i] < 0) {
            keys[i] = k;
            size++;
        }
        values[i] = value;
    }

    long get(int left, int right, long missing) {
        long k = key(left, right);
        int i = slot(k);
        return keys[i] < 0 ? missing : values[i];
    }

    int size() {
        return size;
    }

    private int slot(long k) {
        int mask = keys.length - 1;
        long h = (k ^ (k >>> 33)) * 0xFF51AFD7ED558CCDL; // MurmurHash3 finalizer: mixes both ids
        h ^= h >>> 33;
        int i = (int) h & mask;
        while (keys[i] >= 0 && keys[i] != k) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] oldK = keys;
        long[] oldV = values;
        keys = new long[oldK.length * 2];
        values = new long[oldK.length * 2];
        Arrays.fill(keys, -1L);
        for (int j = 0; j < oldK.length; j++) {
            if (oldK[j] >= 0) {
                int i = slot(oldK[j]);
                keys[i] = oldK[j];
                values[i] = oldV[j];
            }
        }
    }
}
