package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Condition;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.NoiseSource;
import io.difflab.api.VarianceType;
import io.difflab.kit.engine.Scalars;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The variational bound of Ho et al. 2020 (eq. 5) in bits per dimension: L_T, the prior term
 * KL(q(x_T | x_0) ‖ N(0, I)); L_{t−1} = KL(q(x_{t−1} | x_t, x_0) ‖ p_θ(x_{t−1} | x_t)) for t ≥ 1;
 * L_0 = −log p_θ(x_0 | x_1) with the discretized decoder (sec. 3.3). As guided-diffusion's
 * {@code _vb_terms_bpd}, {@code _prior_bpd} and {@code calc_bpd_loop}.
 */
public final class VariationalBound {

    private static final double LN2 = Math.log(2.0);

    private final GaussianDiffusion diffusion;

    public VariationalBound(GaussianDiffusion diffusion) {
        this.diffusion = diffusion;
    }

    /** One term of the bound per sample, in bits/dim, with the x_0 estimate it used. */
    public record Term(NDArray bits, NDArray predXStart) { }

    /**
     * The whole bound per sample, in bits/dim: {@code total} = {@code prior} + Σ_t {@code terms},
     * with (N, T) per-step {@code terms}, x_0 errors {@code xStartMse} and ε errors {@code epsMse}.
     */
    public record BitsPerDim(NDArray total, NDArray prior, NDArray terms, NDArray xStartMse, NDArray epsMse) { }

    /** L_{t−1} (t ≥ 1) or L_0 (t = 0) for each sample of x_t ~ q(x_t | x_0), from the denoiser's output. */
    public Term term(DenoiserOutput output, NDArray xStart, NDArray xt, NDArray t,
                     VarianceType varianceType, boolean clipDenoised) {
        DiagonalGaussian posterior = diffusion.qPosteriorMeanVariance(xStart, xt, t);
        PMeanVariance p = diffusion.pMeanVariance(output, xt, t, varianceType, clipDenoised);
        NDArray kl = Scalars.div(GaussianMath.meanFlat(GaussianMath.normalKl(
                posterior.mean(), posterior.logVariance(), p.mean(), p.logVariance())), LN2);
        NDArray decoderNll = Scalars.div(GaussianMath.meanFlat(GaussianMath.discretizedGaussianLogLikelihood(
                xStart, p.mean(), Scalars.mul(p.logVariance(), 0.5)).neg()), LN2);
        return new Term(NDArrays.where(t.eq(0), decoderNll, kl), p.predXStart());
    }

    /** L_T = KL(q(x_T | x_0) ‖ N(0, I)) per sample, in bits/dim; no parameters enter it. */
    public NDArray priorBpd(NDArray xStart) {
        long n = xStart.getShape().get(0);
        NDArray t = xStart.getManager().full(new Shape(n), diffusion.schedule().timesteps() - 1);
        DiagonalGaussian q = diffusion.qMeanVariance(xStart, t);
        NDArray zeros = q.mean().zerosLike();
        return GaussianMath.meanFlat(GaussianMath.normalKl(q.mean(), q.logVariance(), zeros, zeros)).div(LN2);
    }

    /**
     * The bound over the whole chain: for every t from T−1 down to 0 one draw x_t ~ q(x_t | x_0)
     * and its term, plus the prior term. Each step's arrays live in a sub-manager; the results
     * live in {@code xStart}'s manager.
     */
    public BitsPerDim bitsPerDim(Denoiser denoiser, NDArray xStart, Condition condition, NoiseSource noise,
                                 VarianceType varianceType, boolean clipDenoised) {
        NDManager manager = xStart.getManager();
        long n = xStart.getShape().get(0);
        List<NDArray> terms = new ArrayList<>();
        List<NDArray> xStartMse = new ArrayList<>();
        List<NDArray> epsMse = new ArrayList<>();
        for (int step = diffusion.schedule().timesteps() - 1; step >= 0; step--) {
            try (NDManager sub = manager.newSubManager()) {
                xStart.tempAttach(sub);
                NDArray t = sub.full(new Shape(n), step);
                NDArray eps = noise.normal(sub, xStart.getShape());
                NDArray xt = diffusion.qSample(xStart, t, eps);
                DenoiserOutput out = denoiser.predict(xt, step, condition);
                Term term = term(out, xStart, xt, t, varianceType, clipDenoised);
                NDArray predEps = diffusion.predictEpsFromXStart(xt, t, term.predXStart());
                keep(terms, term.bits(), manager);
                keep(xStartMse, GaussianMath.meanFlat(term.predXStart().sub(xStart).square()), manager);
                keep(epsMse, GaussianMath.meanFlat(predEps.sub(eps).square()), manager);
            }
        }
        NDArray prior = priorBpd(xStart);
        NDArray termMatrix = stackAndClose(terms);
        NDArray total = termMatrix.sum(new int[] {1}).add(prior);
        return new BitsPerDim(total, prior, termMatrix, stackAndClose(xStartMse), stackAndClose(epsMse));
    }

    private static void keep(List<NDArray> into, NDArray value, NDManager manager) {
        value.attach(manager);
        into.add(value);
    }

    /** Stacks the per-step (N) values, collected from t = T−1 down, into (N, T) in t order. */
    private static NDArray stackAndClose(List<NDArray> perStep) {
        List<NDArray> ascending = new ArrayList<>(perStep);
        Collections.reverse(ascending);
        NDArray stacked = NDArrays.stack(new NDList(ascending), 1);
        perStep.forEach(NDArray::close);
        return stacked;
    }
}
