package dev.stepmem.prefill.schedule;

import java.util.Objects;

/**
 * How an input of L tokens is cut into chunks for chunked prefill, and what each step sees
 * (METHOD.md §1, §3). n = ceil(L / c) in both layouts:
 * <ul>
 *   <li>standard: [c, c, ..., L - (n-1)c];</li>
 *   <li>decremental (IMDC, §3): c_avg = L // n, m_hat = (m_0 + ... + m_{n-2}) // (n-1), c_0 = c_avg,
 *       c_i = c_avg + m_hat - m_{i-1} for i = 1..n-2, c_{n-1} = L - (c_0 + ... + c_{n-2}).
 *       For i = 1..n-2, m_{i-1} + c_i = c_avg + m_hat exactly; the last step exceeds that by the two
 *       floor remainders, (L mod n) + ((m_0 + ... + m_{n-2}) mod (n-1)).</li>
 * </ul>
 *
 * <p><b>Sinks.</b> The 4 attention sinks are the first 4 tokens of the input, so they are part of
 * chunk 0 and the chunks add up to L. Step 0 runs over c_0 tokens (4 sinks + c_0 - 4 candidates);
 * step i >= 1 runs over 4 sinks + m_{i-1} memory + c_i chunk tokens. That is what
 * {@link #forwardLengths(int)} returns, and it reproduces the worked examples of §3.
 *
 * <p><b>Nominal versus kept memory.</b> {@link #memoryAfter()} and {@link #forwardLengths(int)} use
 * the schedule's nominal m_i, like §3's examples. The real loop keeps everything when the candidates
 * fit (§1), so its memory is {@link #memoryKept(int)}, min(m_i, candidates), which can be smaller:
 * FM with c = m_max keeps c - 4 after step 0 (L = 8192, c = m_max = 2048: step 1 runs over
 * 4 + 2044 + 2048 = 4096 tokens, against the nominal 4100).
 */
public final class ChunkPlan {
    /** S, the attention sinks at the start of the input, never counted in the memory (§1). */
    public static final int SINKS = 4;

    private final int length;
    private final int chunkSize;
    private final MemorySchedule schedule;
    private final boolean decremental;
    private final int[] chunks;

    private ChunkPlan(int length, int chunkSize, MemorySchedule schedule, boolean decremental, int[] chunks) {
        this.length = length;
        this.chunkSize = chunkSize;
        this.schedule = schedule;
        this.decremental = decremental;
        this.chunks = chunks;
    }

    /** Standard chunks [c, ..., c, remainder] for FM, IM, the per-layer variants and fixed incremental. */
    public static ChunkPlan standard(int length, int chunkSize, MemorySchedule schedule) {
        int n = chunkCount(length, chunkSize);
        Objects.requireNonNull(schedule, "schedule");
        int[] sizes = new int[n];
        for (int i = 0; i < n - 1; i++) {
            sizes[i] = chunkSize;
        }
        sizes[n - 1] = length - (n - 1) * chunkSize; // in (0, c]; (n-1) * c < L, no overflow
        return new ChunkPlan(length, chunkSize, schedule, false, sizes);
    }

    /**
     * IMDC's decremental chunks (§3). Needs a layer-independent IM schedule: the chunk sizes are
     * shared by all layers, and the reference only sizes decremental chunks under IM.
     *
     * @throws IllegalArgumentException for another schedule, or when the schedule grows faster than
     *                                  the average chunk so that some chunk would be empty or negative
     */
    public static ChunkPlan decremental(int length, int chunkSize, MemorySchedule schedule) {
        int n = chunkCount(length, chunkSize);
        Objects.requireNonNull(schedule, "schedule");
        // PyramidKV's per-layer budget averages its base schedule, which sizes the chunks.
        MemorySchedule sizing = schedule instanceof PyramidSchedule pyramid ? pyramid.base() : schedule;
        if (!(sizing instanceof IncrementalMemory im)) {
            throw new IllegalArgumentException("decremental chunks (IMDC) need a layer-independent IM schedule "
                    + "(linear, square, sqrt, inverse_convex or inverse_concave), got " + schedule.name()
                    + (schedule.layerDependent() ? ": its memory differs per layer, but chunk sizes are shared by all layers" : ""));
        }
        return new ChunkPlan(length, chunkSize, schedule, true, DecrementalChunks.sizes(length, chunkSize, n, im));
    }

    /**
     * n = ceil(L / c).
     *
     * @throws IllegalArgumentException if L < 5 (4 sinks + 1 token) or c <= 0
     */
    public static int chunkCount(int length, int chunkSize) {
        if (length < SINKS + 1) {
            throw new IllegalArgumentException("L (input length) must be at least " + (SINKS + 1)
                    + " (" + SINKS + " attention sinks + 1 token), got " + length);
        }
        Checks.positive("c (chunk size)", chunkSize);
        return length / chunkSize + (length % chunkSize == 0 ? 0 : 1); // no overflow, unlike (L + c - 1) / c
    }

    public int length() {
        return length;
    }

    /** c, the configured chunk size (decremental chunks differ from it). */
    public int chunkSize() {
        return chunkSize;
    }

    public int nChunks() {
        return chunks.length;
    }

    public MemorySchedule schedule() {
        return schedule;
    }

    public boolean isDecremental() {
        return decremental;
    }

    /** The chunk sizes c_0..c_{n-1}; they add up to L. Chunk 0 includes the sinks. */
    public int[] chunkSizes() {
        return chunks.clone();
    }

    /** Nominal m_i per step for a layer-independent schedule. */
    public int[] memoryAfter() {
        requireLayerIndependent("memoryAfter(layer)");
        return memoryAfter(0);
    }

    /** Nominal m_{i,l} per step for one layer (for an adaptive schedule, from the ratios observed so far). */
    public int[] memoryAfter(int layer) {
        int n = chunks.length;
        int[] m = new int[n];
        for (int i = 0; i < n; i++) {
            m[i] = schedule.memoryAfter(i, n, layer);
        }
        return m;
    }

    /** Tokens in each step's forward, from nominal memory: [c_0, S + m_0 + c_1, ..., S + m_{n-2} + c_{n-1}]. */
    public int[] forwardLengths(int sinks) {
        requireLayerIndependent("forwardLengths(sinks, layer)");
        return forwardLengths(sinks, 0);
    }

    /** {@link #forwardLengths(int)} for one layer of a per-layer schedule. */
    public int[] forwardLengths(int sinks, int layer) {
        checkSinks(sinks);
        return forward(sinks, memoryAfter(layer));
    }

    /**
     * The memory the loop actually holds after each step, where everything is kept when the
     * candidates fit (§1): kept_0 = min(m_0, c_0 - S), kept_i = min(m_i, kept_{i-1} + c_i). Under the
     * fixed incremental ablation old memory is frozen: kept_i = kept_{i-1} + min(slots_i, new candidates).
     */
    public int[] memoryKept(int sinks, int layer) {
        checkSinks(sinks);
        int n = chunks.length;
        int[] kept = new int[n];
        long before = 0;
        for (int i = 0; i < n; i++) {
            long fresh = chunks[i] - (i == 0 ? sinks : 0);
            if (schedule instanceof FixedIncrementalMemory fixed) {
                before += Math.min(fixed.newSlots(i, n), fresh);
            } else {
                before = Math.min(schedule.memoryAfter(i, n, layer), before + fresh);
            }
            kept[i] = (int) before;
        }
        return kept;
    }

    /** {@link #memoryKept(int, int)} for a layer-independent schedule. */
    public int[] memoryKept(int sinks) {
        requireLayerIndependent("memoryKept(sinks, layer)");
        return memoryKept(sinks, 0);
    }

    /** Forward lengths from the kept memory: [c_0, S + kept_0 + c_1, ...]. */
    public int[] forwardLengthsKept(int sinks) {
        return forward(sinks, memoryKept(sinks));
    }

    /** {@link #forwardLengthsKept(int)} for one layer of a per-layer schedule. */
    public int[] forwardLengthsKept(int sinks, int layer) {
        return forward(sinks, memoryKept(sinks, layer));
    }

    private int[] forward(int sinks, int[] memory) {
        int[] f = new int[chunks.length];
        f[0] = chunks[0]; // sinks are the first tokens of chunk 0; nothing cached yet
        for (int i = 1; i < chunks.length; i++) {
            f[i] = Math.toIntExact((long) sinks + memory[i - 1] + chunks[i]);
        }
        return f;
    }

    private void checkSinks(int sinks) {
        if (sinks < 0) {
            throw new IllegalArgumentException("sinks must be >= 0, got " + sinks);
        }
        if (chunks[0] <= sinks) {
            throw new IllegalArgumentException("the first chunk (" + chunks[0] + " tokens) must hold the " + sinks
                    + " sinks plus at least one token: raise c (chunk size, now " + chunkSize + ")");
        }
    }

    private void requireLayerIndependent(String perLayerCall) {
        if (schedule.layerDependent()) {
            throw new IllegalStateException("the " + schedule.name() + " schedule differs per layer: call " + perLayerCall);
        }
    }

    @Override
    public String toString() {
        return "ChunkPlan[L=" + length + ", c=" + chunkSize + ", n=" + chunks.length + ", "
                + (decremental ? "decremental" : "standard") + ", " + schedule.name() + ", m_max=" + schedule.mMax() + "]";
    }
}
