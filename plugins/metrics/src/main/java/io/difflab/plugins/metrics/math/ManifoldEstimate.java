package io.difflab.plugins.metrics.math;

import java.util.Arrays;

/**
 * A k-NN estimate of the manifold of a set of feature vectors (Kynkäänniemi et al. 2019, eq. 1-2):
 * the union of balls around each vector whose radius is the distance to its k-th nearest
 * neighbour in the set. Precision is the fraction of generated vectors inside the real manifold;
 * recall is the fraction of real vectors inside the generated manifold.
 */
public final class ManifoldEstimate {

    private final double[][] points;
    private final double[] squaredRadii;

    private ManifoldEstimate(double[][] points, double[] squaredRadii) {
        this.points = points;
        this.squaredRadii = squaredRadii;
    }

    /** The manifold of {@code points} with radii to the {@code k}-th nearest other point. */
    public static ManifoldEstimate of(double[][] points, int k) {
        int n = points.length;
        if (k < 1 || k >= n) {
            throw new IllegalArgumentException("k = " + k + " needs more than k points, got " + n);
        }
        double[] radii = new double[n];
        double[] distances = new double[n - 1];
        for (int i = 0; i < n; i++) {
            int m = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    distances[m++] = squaredDistance(points[i], points[j]);
                }
            }
            radii[i] = kthSmallest(distances, k);
        }
        return new ManifoldEstimate(points, radii);
    }

    /** f(φ, Φ): whether {@code x} lies in some ball, ‖x − φ‖ ≤ NN_k(φ) (eq. 1). */
    public boolean contains(double[] x) {
        for (int i = 0; i < points.length; i++) {
            if (squaredDistance(x, points[i]) <= squaredRadii[i]) {
                return true;
            }
        }
        return false;
    }

    /** The fraction of {@code queries} inside this manifold (eq. 2). */
    public double coverage(double[][] queries) {
        int inside = 0;
        for (double[] q : queries) {
            if (contains(q)) {
                inside++;
            }
        }
        return (double) inside / queries.length;
    }

    /** Precision: generated samples in the real manifold. */
    public static double precision(double[][] real, double[][] generated, int k) {
        return of(real, k).coverage(generated);
    }

    /** Recall: real samples in the generated manifold. */
    public static double recall(double[][] real, double[][] generated, int k) {
        return of(generated, k).coverage(real);
    }

    static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double d = a[j] - b[j];
            s += d * d;
        }
        return s;
    }

    /** The k-th smallest (1-based) of {@code values}; reorders a copy. */
    private static double kthSmallest(double[] values, int k) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy[k - 1];
    }
}
