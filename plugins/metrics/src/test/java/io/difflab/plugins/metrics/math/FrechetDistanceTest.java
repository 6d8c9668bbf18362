package io.difflab.plugins.metrics.math;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrechetDistanceTest {

    @Test
    void aSetIsAtDistanceZeroFromItself() {
        GaussianStatistics s = GaussianStatistics.of(gaussian(new Random(1), 400, 16, 0, 1));
        double fd = FrechetDistance.between(s, s);
        assertEquals(0, fd, 1e-9 * s.covariance().getTrace());
    }

    @Test
    void distanceGrowsMonotonicallyWithAddedNoise() {
        Random random = new Random(2);
        double[][] clean = gaussian(random, 1000, 8, 0, 1);
        GaussianStatistics reference = GaussianStatistics.of(clean);
        double previous = -1;
        for (double sigma : new double[] {0.0, 0.1, 0.3, 1.0, 3.0}) {
            double[][] noisy = new double[clean.length][clean[0].length];
            for (int i = 0; i < clean.length; i++) {
                for (int j = 0; j < clean[i].length; j++) {
                    noisy[i][j] = clean[i][j] + sigma * random.nextGaussian();
                }
            }
            double fd = FrechetDistance.between(GaussianStatistics.of(noisy), reference);
            assertTrue(fd > previous, "FD " + fd + " at sigma " + sigma + " not above " + previous);
            previous = fd;
        }
    }

    @Test
    void diagonalGaussiansMatchTheClosedForm() {
        double[] mu1 = {0.5, -1, 2, 0};
        double[] mu2 = {0, 1, 2, 3};
        double[] var1 = {1, 4, 0.25, 9};
        double[] var2 = {4, 1, 0.25, 1};
        // ‖μ1 − μ2‖² + Σ_i (√σ²1i − √σ²2i)² for commuting diagonal covariances
        double expected = 0.25 + 4 + 0 + 9 + (1 + 1 + 0 + 4);
        double exact = FrechetDistance.between(diagonal(mu1, var1), diagonal(mu2, var2));
        assertEquals(expected, exact, 1e-10);

        // the same from samples: the estimate converges to the closed form
        Random random = new Random(3);
        double[][] a = new double[40000][4];
        double[][] b = new double[40000][4];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < 4; j++) {
                a[i][j] = mu1[j] + Math.sqrt(var1[j]) * random.nextGaussian();
                b[i][j] = mu2[j] + Math.sqrt(var2[j]) * random.nextGaussian();
            }
        }
        double estimated = FrechetDistance.between(GaussianStatistics.of(a), GaussianStatistics.of(b));
        assertEquals(expected, estimated, 0.02 * expected);
    }

    @Test
    void nonCommutingCovariancesMatchTheTwoByTwoClosedForm() {
        // for 2×2 Σ1Σ2 with eigenvalues λ1, λ2 ≥ 0: Tr √(Σ1Σ2) = √(Tr(Σ1Σ2) + 2√(det Σ1 det Σ2))
        RealMatrix s1 = new Array2DRowRealMatrix(new double[][] {{2, 0.7}, {0.7, 1}});
        RealMatrix s2 = new Array2DRowRealMatrix(new double[][] {{0.5, -0.3}, {-0.3, 3}});
        double trace = Math.sqrt(s1.multiply(s2).getTrace()
                + 2 * Math.sqrt(new org.apache.commons.math3.linear.LUDecomposition(s1).getDeterminant()
                * new org.apache.commons.math3.linear.LUDecomposition(s2).getDeterminant()));
        assertEquals(trace, FrechetDistance.traceOfSqrtProduct(s1, s2), 1e-12);
        assertEquals(trace, FrechetDistance.traceOfSqrtProduct(s2, s1), 1e-12);
    }

    @Test
    void scaledCovarianceMatchesTheClosedForm() {
        // Σ2 = c²Σ1 ⇒ Tr √(Σ1Σ2) = c Tr Σ1, so FD = ‖Δμ‖² + (1 − c)² Tr Σ1
        Random random = new Random(4);
        double[][] g = gaussian(random, 12, 6, 0, 1);
        RealMatrix a = new Array2DRowRealMatrix(g);
        RealMatrix sigma1 = a.transpose().multiply(a).scalarAdd(0).add(MatrixUtils.createRealIdentityMatrix(6));
        double c = 1.7;
        GaussianStatistics one = new GaussianStatistics(new ArrayRealVector(6), sigma1, 100);
        GaussianStatistics two = new GaussianStatistics(new ArrayRealVector(new double[] {1, 0, 0, 0, 0, 2}),
                sigma1.scalarMultiply(c * c), 100);
        double expected = 5 + (1 - c) * (1 - c) * sigma1.getTrace();
        assertEquals(expected, FrechetDistance.between(one, two), 1e-9 * expected);
    }

    @Test
    void singularCovariancesFromFewSamplesStayFiniteAndNonNegative() {
        Random random = new Random(5);
        GaussianStatistics few = GaussianStatistics.of(gaussian(random, 10, 32, 0, 1));
        GaussianStatistics many = GaussianStatistics.of(gaussian(random, 2000, 32, 0, 1));
        double fd = FrechetDistance.between(few, many);
        assertTrue(Double.isFinite(fd) && fd > 0, "FD " + fd);
    }

    static GaussianStatistics diagonal(double[] mean, double[] variance) {
        return new GaussianStatistics(new ArrayRealVector(mean), MatrixUtils.createRealDiagonalMatrix(variance), 1000);
    }

    static double[][] gaussian(Random random, int n, int d, double mean, double std) {
        double[][] out = new double[n][d];
        for (double[] row : out) {
            for (int j = 0; j < d; j++) {
                row[j] = mean + std * random.nextGaussian();
            }
        }
        return out;
    }
}
