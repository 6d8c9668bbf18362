package io.difflab.plugins.metrics.math;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * The Gaussian fitted to a set of feature vectors: its mean and its unbiased covariance.
 *
 * @param mean       μ (d)
 * @param covariance Σ (d×d), normalized by n − 1
 * @param count      the number of vectors it was fitted to
 */
public record GaussianStatistics(RealVector mean, RealMatrix covariance, int count) {

    /** Fits μ and Σ to the rows of {@code features} (at least two rows of equal width). */
    public static GaussianStatistics of(double[][] features) {
        int n = features.length;
        if (n < 2) {
            throw new IllegalArgumentException("a covariance needs at least 2 vectors, got " + n);
        }
        int d = features[0].length;
        double[] mean = new double[d];
        for (double[] row : features) {
            if (row.length != d) {
                throw new IllegalArgumentException("feature widths differ: " + row.length + " != " + d);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] centered = new double[d];
        for (double[] row : features) {
            for (int j = 0; j < d; j++) {
                centered[j] = row[j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                double ca = centered[a];
                if (ca == 0) {
                    continue;
                }
                double[] out = cov[a];
                for (int b = a; b < d; b++) {
                    out[b] += ca * centered[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
        }
        return new GaussianStatistics(new ArrayRealVector(mean, false), new Array2DRowRealMatrix(cov, false), n);
    }

    /** The dimension d. */
    public int dimension() {
        return mean.getDimension();
    }
}
