package io.difflab.plugins.metrics.math;

import org.apache.commons.math3.linear.RealMatrix;

/**
 * The Fréchet (2-Wasserstein) distance between two Gaussians, as used by FID (Heusel et al. 2017):
 * d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^{1/2}).
 *
 * <p>Σ₁Σ₂ is not symmetric, but it is similar to the symmetric positive semi-definite
 * √Σ₁ Σ₂ √Σ₁, whose eigenvalues it shares; so Tr (Σ₁Σ₂)^{1/2} = Σ_i √λ_i(√Σ₁ Σ₂ √Σ₁), computed
 * with two symmetric eigen-decompositions ({@link SymmetricEigen}) and no complex arithmetic. Eigenvalues that rounding
 * pushes below zero (singular covariances, fewer samples than dimensions) are clipped to 0.
 */
public final class FrechetDistance {

    private FrechetDistance() { }

    /** d² between the Gaussians {@code a} and {@code b} (the value FID reports). */
    public static double between(GaussianStatistics a, GaussianStatistics b) {
        if (a.dimension() != b.dimension()) {
            throw new IllegalArgumentException("dimensions differ: " + a.dimension() + " != " + b.dimension());
        }
        double meanTerm = a.mean().subtract(b.mean()).dotProduct(a.mean().subtract(b.mean()));
        double traceTerm = a.covariance().getTrace() + b.covariance().getTrace()
                - 2 * traceOfSqrtProduct(a.covariance(), b.covariance());
        return meanTerm + traceTerm;
    }

    /** Tr (Σ₁Σ₂)^{1/2} = Tr (√Σ₁ Σ₂ √Σ₁)^{1/2} for symmetric positive semi-definite Σ₁, Σ₂. */
    static double traceOfSqrtProduct(RealMatrix sigma1, RealMatrix sigma2) {
        RealMatrix root1 = sqrtSymmetric(sigma1);
        RealMatrix inner = symmetrize(root1.multiply(sigma2).multiply(root1));
        double trace = 0;
        for (double lambda : SymmetricEigen.of(inner).values()) {
            trace += Math.sqrt(Math.max(lambda, 0));
        }
        return trace;
    }

    /** The principal square root V diag(√max(λ, 0)) Vᵀ of a symmetric matrix. */
    static RealMatrix sqrtSymmetric(RealMatrix sigma) {
        SymmetricEigen eigen = SymmetricEigen.of(symmetrize(sigma));
        RealMatrix v = eigen.vectors();
        double[] lambda = eigen.values();
        RealMatrix scaled = v.copy();
        for (int j = 0; j < lambda.length; j++) {
            double s = Math.sqrt(Math.max(lambda[j], 0));
            for (int i = 0; i < v.getRowDimension(); i++) {
                scaled.multiplyEntry(i, j, s);
            }
        }
        return scaled.multiply(v.transpose());
    }

    /** (M + Mᵀ)/2, removing the asymmetry rounding leaves, which the symmetric solver needs. */
    private static RealMatrix symmetrize(RealMatrix m) {
        return m.add(m.transpose()).scalarMultiply(0.5);
    }
}
