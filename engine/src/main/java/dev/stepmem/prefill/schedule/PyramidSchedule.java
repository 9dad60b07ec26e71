package dev.stepmem.prefill.schedule;

import java.util.Objects;

/**
 * PyramidKV's per-layer budget (Cai et al., "PyramidKV: Dynamic KV Cache Compression based on
 * Pyramidal Information Funneling", 2024) laid over another schedule: layer l of L holds
 * m_{i,l} = max(1, round(m_i x f_l)), with f_l falling linearly from 2 - 1/beta (layer 0) to
 * 1/beta (layer L - 1). The f_l average 1, so all layers together hold about what the base
 * schedule gives them; only the lower layers hold more than m_max and the upper ones less.
 *
 * <p>Inside chunked prefill (interpretation): the original shapes one budget after a full
 * prefill; here it scales every step's target, so it combines with FM (m_i = m_max) and with IM's
 * incremental functions, and IMDC sizes its chunks from the base schedule (the layers' average).
 * Decoding therefore sees 4 + m_{n-1,l} tokens in layer l, not 4 + m_max in every layer. The
 * adaptive and fixed-incremental schedules are refused: both already decide per layer or per
 * slot what the memory holds. One layer: f_0 = 1, the base schedule unchanged.
 */
public record PyramidSchedule(MemorySchedule base, int nLayers, int beta) implements MemorySchedule {
    /** PyramidKV's default beta: the top layer keeps m / 20. */
    public static final int DEFAULT_BETA = 20;

    public PyramidSchedule {
        Objects.requireNonNull(base, "base");
        Checks.nLayers(nLayers);
        if (beta < 1) {
            throw new IllegalArgumentException("PyramidKV's beta must be >= 1, got " + beta);
        }
        if (base instanceof AdaptiveSchedule || base.freezesOldMemory() || base instanceof PyramidSchedule) {
            throw new IllegalArgumentException("PyramidKV's per-layer budget cannot be laid over the " + base.name()
                    + " schedule; use fm or an incremental function (linear, square, sqrt, inverse_convex, "
                    + "inverse_concave, square_sqrt, double_inverse)");
        }
    }

    @Override
    public String name() {
        return base.name() + "+pyramid";
    }

    /** The base schedule's m_max: the layers' average at the last step. */
    @Override
    public int mMax() {
        return base.mMax();
    }

    @Override
    public boolean layerDependent() {
        return nLayers > 1 || base.layerDependent();
    }

    /** f_l, the layer's share of the base target. */
    public double factor(int layer) {
        Checks.layer(layer, nLayers);
        if (nLayers == 1) {
            return 1.0;
        }
        double top = 1.0 / beta;
        double bottom = 2.0 - top;
        return bottom - (bottom - top) * layer / (nLayers - 1);
    }

    @Override
    public int memoryAfter(int step, int nChunks, int layer) {
        return (int) Math.max(1, Math.round(base.memoryAfter(step, nChunks, layer) * factor(layer)));
    }
}
