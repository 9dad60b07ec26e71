package dev.stepmem.prefill.schedule;

import java.util.Arrays;

/**
 * The adaptive per-layer schedule (METHOD.md §2): layers that retain more of their old memory get
 * more memory. With a = m_max // n:
 * <pre>
 *   step >= n-1:  m_{i,l} = m_max
 *   step 0:       m_{0,l} = a
 *   step 1:       m_{1,l} = 2a
 *   step i >= 2:  m_{i,l} = int(min((i+1) * a * nLayers * softmax(r)_l, m_max))
 * </pre>
 * where r_l is the running mean of layer l's memory retention ratio (§5: the fraction of the
 * newly selected memory that came from the previous memory).
 *
 * <p><b>Which ratios.</b> The caller reports each step's ratios with
 * {@link #observeRetention(int, double[])} after compressing that step. m_{i,l} uses the mean of
 * the ratios observed at steps 1..i-1 (every observation with step &lt; i); so step 2 uses step 1
 * alone, step 3 the mean of steps 1 and 2, and so on. Step 0 is refused: there is no previous
 * memory, so there is no retention ratio. A layer that did not select at some step (everything fit,
 * §1) reports NaN there and that step is left out of its mean, as the reference only records a
 * ratio when it compresses. A layer with no ratio yet has r_l = 0; when no layer has one, softmax is
 * uniform and the schedule is linear, (i+1) * a.
 *
 * <p>Because m_{i,l} reads only observations of steps before i, asking again for an earlier step
 * gives the same answer. Arithmetic: (i+1) * a * nLayers is an exact integer, then multiplied by the
 * softmax in double (the reference's softmax runs in float32 in torch; double is this suite's
 * choice), capped at m_max and truncated. Not thread-safe; use one instance per prefill, or
 * {@link #reset()} between sequences.
 */
public final class AdaptiveSchedule implements MemorySchedule {
    static final String NAME = "adaptive";

    private final int mMax;
    private final int nLayers;
    private final double[] sum;
    private final int[] count;
    /** Observations in step order: stepOf[k] and ratios[k]. */
    private int[] stepOf = new int[8];
    private double[][] ratios = new double[8][];
    private int observed;

    AdaptiveSchedule(int mMax, int nLayers) {
        this.mMax = Checks.mMax(mMax);
        this.nLayers = Checks.nLayers(nLayers);
        this.sum = new double[nLayers];
        this.count = new int[nLayers];
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int mMax() {
        return mMax;
    }

    public int nLayers() {
        return nLayers;
    }

    @Override
    public boolean layerDependent() {
        return true;
    }

    /**
     * Reports the retention ratio of every layer at {@code step}, after that step's compression.
     *
     * @param step >= 1, and greater than every step reported before
     * @param retentionPerLayer one value per layer, each in [0, 1], or NaN for a layer that kept
     *                          everything at this step (no selection ran)
     */
    public void observeRetention(int step, double[] retentionPerLayer) {
        if (step < 1) {
            throw new IllegalArgumentException("retention step must be >= 1 (step 0 has no previous memory), got " + step);
        }
        if (observed > 0 && step <= stepOf[observed - 1]) {
            throw new IllegalArgumentException("retention steps must increase: step " + step
                    + " reported after step " + stepOf[observed - 1]);
        }
        if (retentionPerLayer == null || retentionPerLayer.length != nLayers) {
            throw new IllegalArgumentException("retentionPerLayer must have one value per layer (" + nLayers + "), got "
                    + (retentionPerLayer == null ? "null" : retentionPerLayer.length));
        }
        for (int l = 0; l < nLayers; l++) {
            double r = retentionPerLayer[l];
            if (!Double.isNaN(r) && !(r >= 0 && r <= 1)) {
                throw new IllegalArgumentException("retention ratio of layer " + l + " at step " + step
                        + " must be in [0, 1] or NaN, got " + r);
            }
        }
        if (observed == stepOf.length) {
            stepOf = Arrays.copyOf(stepOf, observed * 2);
            ratios = Arrays.copyOf(ratios, observed * 2);
        }
        stepOf[observed] = step;
        ratios[observed] = retentionPerLayer.clone();
        observed++;
    }

    /** Forgets every observation, for the next sequence. */
    public void reset() {
        observed = 0;
    }

    /** r: per layer, the mean of the non-NaN ratios observed at steps before {@code step}; 0 where none. */
    public double[] runningMean(int step) {
        Checks.step(step);
        Arrays.fill(sum, 0);
        Arrays.fill(count, 0);
        for (int k = 0; k < observed && stepOf[k] < step; k++) {
            for (int l = 0; l < nLayers; l++) {
                if (!Double.isNaN(ratios[k][l])) {
                    sum[l] += ratios[k][l];
                    count[l]++;
                }
            }
        }
        double[] mean = new double[nLayers];
        for (int l = 0; l < nLayers; l++) {
            mean[l] = count[l] == 0 ? 0 : sum[l] / count[l];
        }
        return mean;
    }

    @Override
    public int memoryAfter(int step, int nChunks, int layer) {
        Checks.step(step);
        Checks.nChunks(nChunks);
        Checks.layer(layer, nLayers);
        if (step >= nChunks - 1) {
            return mMax;
        }
        int a = mMax / nChunks;
        if (step <= 1) {
            return a * (step + 1); // a, then 2a: no ratios yet to adapt on
        }
        double share = softmax(runningMean(step))[layer];
        double m = (double) ((long) (step + 1) * a * nLayers) * share;
        return (int) Math.min(m, mMax);
    }

    /** Numerically stable softmax (max subtracted first). */
    static double[] softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double[] e = new double[x.length];
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            e[i] = Math.exp(x[i] - max);
            total += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            e[i] /= total;
        }
        return e;
    }
}
