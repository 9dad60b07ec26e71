package dev.stepmem.results;

import java.util.Arrays;

/** Summaries of repeated measurements: medians are robust to a neighbour's burst on a shared machine. */
public final class Stats {
    private Stats() {
    }

    /** The median of the values (the mean of the middle two for an even count); the array is not changed. */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the median of no values");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
