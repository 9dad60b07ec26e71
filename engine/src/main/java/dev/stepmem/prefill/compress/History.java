package dev.stepmem.prefill.compress;

/**
 * What a stateful compressor (H2O, Scissorhands) remembers about one layer's memory between
 * steps: {@code values[kvHead][channel][row]}, one value per channel for each memory row the
 * cache holds after the sinks, in stored order.
 *
 * <p>The loop keeps one History per layer for the whole run ({@link Compressor#newHistory}) and
 * hands it back every step through {@link StepContext}, also in steps that evict nothing. The
 * compressor reads the old memory's rows, picks, and replaces them with the values of the rows
 * it kept, so the history always describes exactly the memory the cache holds.
 */
public final class History {
    private final int nKvHeads;
    private final int channels;
    private double[][][] values;

    /** An empty history (no memory rows yet) with {@code channels} values per row. */
    public History(int nKvHeads, int channels) {
        if (nKvHeads < 1 || channels < 1) {
            throw new IllegalArgumentException("a history needs >= 1 KV head and >= 1 channel, got " + nKvHeads
                    + " and " + channels);
        }
        this.nKvHeads = nKvHeads;
        this.channels = channels;
        this.values = new double[nKvHeads][channels][0];
    }

    /** Memory rows described. */
    public int rows() {
        return values[0][0].length;
    }

    public int channels() {
        return channels;
    }

    /** The values of one KV head's channel, one per memory row (the array itself, not a copy). */
    public double[] get(int kvHead, int channel) {
        return values[kvHead][channel];
    }

    /** The context's history (null without one), checked against the selection's memory. */
    static History of(StepContext context, Selection s, String compressor) {
        History history = context.history();
        if (history != null) {
            history.require(s.nMemory(), s.nKvHeads(), compressor);
        }
        return history;
    }

    /** Fails unless this history describes a memory of {@code nMemory} rows and {@code kvHeads} KV heads. */
    void require(int nMemory, int kvHeads, String compressor) {
        if (kvHeads != nKvHeads || rows() != nMemory) {
            throw new IllegalStateException(compressor + ": the history describes " + nKvHeads + " KV heads x "
                    + rows() + " memory rows, but the selection has " + kvHeads + " x " + nMemory
                    + " (the loop must hand each layer its own history every step)");
        }
    }

    /**
     * The new memory's values: for KV head g and channel ch, {@code next[g][ch][r]} is taken from
     * {@code candidates[g][ch][kept[g][r]]}, the values the compressor computed for all candidates.
     */
    void keep(double[][][] candidates, int[][] kept) {
        double[][][] next = new double[nKvHeads][channels][];
        for (int g = 0; g < nKvHeads; g++) {
            for (int ch = 0; ch < channels; ch++) {
                double[] from = candidates[g][ch];
                double[] to = new double[kept[g].length];
                for (int r = 0; r < to.length; r++) {
                    to[r] = from[kept[g][r]];
                }
                next[g][ch] = to;
            }
        }
        values = next;
    }
}
