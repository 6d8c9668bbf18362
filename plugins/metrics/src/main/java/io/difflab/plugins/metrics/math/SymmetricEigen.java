package io.difflab.plugins.metrics.math;

import org.apache.commons.math3.exception.MaxCountExceededException;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The eigen-decomposition A = V diag(λ) Vᵀ of a real symmetric matrix: commons-math's tridiagonal
 * QL, and where that does not converge (it gives up after 30 iterations per eigenvalue, as it does
 * on some rank-deficient covariances, e.g. of 64 samples in a wider feature space), the cyclic
 * Jacobi method (Golub &amp; Van Loan, Matrix Computations, 4th ed., sec. 8.5.3), which converges
 * for every symmetric matrix (quadratically once the off-diagonal is small).
 *
 * @param values  the eigenvalues λ_j
 * @param vectors V, the eigenvector of λ_j in column j
 */
record SymmetricEigen(double[] values, RealMatrix vectors) {

    /** Sweeps after which Jacobi stops even above tolerance (far more than it needs: ~10 for n = 256). */
    static final int MAX_SWEEPS = 100;

    /** The decomposition of {@code symmetric} (only its symmetric part is read). */
    static SymmetricEigen of(RealMatrix symmetric) {
        try {
            EigenDecomposition eigen = new EigenDecomposition(symmetric);
            return new SymmetricEigen(eigen.getRealEigenvalues(), eigen.getV());
        } catch (MaxCountExceededException e) {
            return jacobi(symmetric);
        }
    }

    /** The cyclic Jacobi method: rotations zeroing a_pq row by row until the off-diagonal vanishes. */
    static SymmetricEigen jacobi(RealMatrix symmetric) {
        int n = symmetric.getRowDimension();
        double[][] a = symmetric.getData();
        double[][] v = MatrixUtils.createRealIdentityMatrix(n).getData();
        double scale = 0;
        for (double[] row : a) {
            for (double x : row) {
                scale += x * x;
            }
        }
        double tolerance = 1e-30 * scale + Double.MIN_NORMAL;
        for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(a) > tolerance; sweep++) {
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] != 0) {
                        rotate(a, v, p, q);
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        return new SymmetricEigen(values, MatrixUtils.createRealMatrix(v));
    }

    /** Σ_{p≠q} a_pq². */
    private static double offDiagonal(double[][] a) {
        double sum = 0;
        for (int p = 0; p < a.length; p++) {
            for (int q = 0; q < a.length; q++) {
                sum += p == q ? 0 : a[p][q] * a[p][q];
            }
        }
        return sum;
    }

    /**
     * A ← JᵀAJ and V ← VJ for the rotation J(p, q, θ) that zeroes a_pq (Golub &amp; Van Loan, Algorithm
     * 8.5.1): τ = (a_qq − a_pp) / (2 a_pq), t = sign(τ) / (|τ| + √(1 + τ²)), c = 1/√(1 + t²), s = t·c.
     */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        double tau = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        double t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        double c = 1 / Math.sqrt(1 + t * t);
        double s = t * c;
        int n = a.length;
        for (int k = 0; k < n; k++) { // columns p and q: A J
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) { // rows p and q: Jᵀ (A J)
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
        }
        a[p][q] = 0;
        a[q][p] = 0;
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }
}
