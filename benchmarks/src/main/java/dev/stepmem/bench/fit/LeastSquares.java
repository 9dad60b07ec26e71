package dev.stepmem.bench.fit;

/** Least squares for a handful of unknowns: the normal equations solved by Gaussian elimination. */
final class LeastSquares {
    private LeastSquares() {
    }

    /**
     * x minimizing sum_i (a[i] . x - b[i])^2.
     *
     * @param a rows of the design matrix [n][k], n >= k
     * @param b targets [n]
     */
    static double[] solve(double[][] a, double[] b) {
        int k = a[0].length;
        double[][] m = new double[k][k + 1]; // [A^T A | A^T b]
        for (int i = 0; i < a.length; i++) {
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) {
                    m[r][c] += a[i][r] * a[i][c];
                }
                m[r][k] += a[i][r] * b[i];
            }
        }
        for (int p = 0; p < k; p++) {
            int best = p;
            for (int r = p + 1; r < k; r++) {
                best = Math.abs(m[r][p]) > Math.abs(m[best][p]) ? r : best;
            }
            double[] t = m[p];
            m[p] = m[best];
            m[best] = t;
            if (Math.abs(m[p][p]) < 1e-300) {
                throw new IllegalArgumentException("the fit's unknowns are not determined by the data (column " + p
                        + " is a combination of the others)");
            }
            for (int r = 0; r < k; r++) {
                if (r != p) {
                    double f = m[r][p] / m[p][p];
                    for (int c = p; c <= k; c++) {
                        m[r][c] -= f * m[p][c];
                    }
                }
            }
        }
        double[] x = new double[k];
        for (int r = 0; r < k; r++) {
            x[r] = m[r][k] / m[r][r];
        }
        return x;
    }
}
