package dev.stepmem.prefill.compress;

/**
 * {@code torch.nn.functional.avg_pool1d(x, kernel_size = k, stride = 1, padding = k // 2)} with
 * PyTorch's default {@code count_include_pad = True}: the output has the input's length and
 * every window sum is divided by k, also at the edges where part of the window is zero padding
 * (METHOD.md §4 step 3: "divisor always 5").
 *
 * <p>Each output is the direct sum of its (up to) k inputs from left to right, not a running
 * sum: identical neighbourhoods then give bit-identical outputs (so real ties stay ties, see
 * {@link TopK}), and there is no drift along a 10^4-long axis. k = 5 makes this cheap.
 */
final class AvgPool {
    private AvgPool() {}

    /** Pools {@code x[from, to)} as a sequence of its own: values outside [from, to) count as zero padding. */
    static double[] pool(double[] x, int from, int to, int kernel) {
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("kernel must be odd and >= 1, got " + kernel);
        }
        int half = kernel / 2;
        double[] y = new double[to - from];
        for (int i = from; i < to; i++) {
            double sum = 0.0;
            int lo = Math.max(from, i - half);
            int hi = Math.min(to - 1, i + half);
            for (int t = lo; t <= hi; t++) {
                sum += x[t];
            }
            y[i - from] = sum / kernel;
        }
        return y;
    }
}
