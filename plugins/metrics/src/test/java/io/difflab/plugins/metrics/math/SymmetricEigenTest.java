package io.difflab.plugins.metrics.math;

import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Jacobi fallback against closed-form eigenvalues, commons-math's QL and the defining identities. */
class SymmetricEigenTest {

    @Test
    void jacobiFindsTheClosedFormEigenvalues() {
        // [[2, 1, 0], [1, 2, 0], [0, 0, 3]]: 2 ± 1 from the upper block, 3 from the lower
        RealMatrix a = MatrixUtils.createRealMatrix(new double[][] {{2, 1, 0}, {1, 2, 0}, {0, 0, 3}});
        double[] values = SymmetricEigen.jacobi(a).values();
        Arrays.sort(values);
        assertArrayEquals(new double[] {1, 3, 3}, values, 1e-12);
    }

    @Test
    void jacobiAgreesWithQlAndReconstructsARankDeficientCovariance() {
        // 40 samples in 96 dimensions: a covariance of rank 39, 57 eigenvalues zero (as FD's on small sample sets)
        Random random = new Random(7);
        double[][] x = new double[40][96];
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextGaussian() * (1 + j % 5);
            }
        }
        RealMatrix sigma = GaussianStatistics.of(x).covariance();
        SymmetricEigen jacobi = SymmetricEigen.jacobi(sigma);
        RealMatrix v = jacobi.vectors();
        RealMatrix rebuilt = v.multiply(MatrixUtils.createRealDiagonalMatrix(jacobi.values())).multiply(v.transpose());
        double norm = sigma.getFrobeniusNorm();
        assertEquals(0, rebuilt.subtract(sigma).getFrobeniusNorm() / norm, 1e-12, "V diag(λ) Vᵀ = Σ");
        assertEquals(0, v.transpose().multiply(v).subtract(MatrixUtils.createRealIdentityMatrix(96))
                .getFrobeniusNorm(), 1e-12, "VᵀV = I");
        double[] ql = new org.apache.commons.math3.linear.EigenDecomposition(sigma).getRealEigenvalues();
        double[] ours = jacobi.values().clone();
        Arrays.sort(ql);
        Arrays.sort(ours);
        for (int i = 0; i < ql.length; i++) {
            assertEquals(ql[i], ours[i], 1e-10 * norm, "eigenvalue " + i);
        }
        long zeros = Arrays.stream(ours).filter(l -> Math.abs(l) < 1e-10 * norm).count();
        assertEquals(57, zeros, "96 dimensions, rank 39");
    }
}
