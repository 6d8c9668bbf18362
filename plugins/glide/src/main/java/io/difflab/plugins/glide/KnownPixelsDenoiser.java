package io.difflab.plugins.glide;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.ImageShape;
import io.difflab.api.Condition;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;

/**
 * Inpainting by replacing the known pixels at sampling time, for any model (glide-text2im's
 * inpainting {@code denoised_fn}): at every step the prediction of x_0 is made to agree with the
 * known image where the mask is 1, x̂_0' = m·x_known + (1 − m)·x̂_0, and handed back as the ε that
 * implies it, so every sampler reads the replaced x̂_0 (Ho et al. 2020, eq. 4:
 * x̂_0 = (x_t − √(1 − ᾱ_t)·ε)/√ᾱ_t, hence ε' = (x_t − √ᾱ_t·x̂_0')/√(1 − ᾱ_t)). At the last step
 * (t = 0, whose posterior mean is x̂_0) the known pixels of a sample are those of its image.
 */
final class KnownPixelsDenoiser implements Denoiser {

    private final Denoiser inner;
    private final DiffusionSchedule schedule;
    private final KnownPixels region;
    private final String entry;

    /**
     * @param inner    the denoiser whose predictions are corrected
     * @param schedule the sampler's (possibly respaced) schedule, indexed by the step t
     * @param region   the pixels to repaint; the others are known
     * @param entry    the condition entry holding the known images (N, C, H, W)
     */
    KnownPixelsDenoiser(Denoiser inner, DiffusionSchedule schedule, KnownPixels region, String entry) {
        this.inner = inner;
        this.schedule = schedule;
        this.region = region;
        this.entry = entry;
    }

    @Override
    public DenoiserOutput predict(NDArray xt, int t, Condition condition) {
        DenoiserOutput out = inner.predict(xt, t, condition);
        NDArray known = condition.get(entry).arrays().get(0);
        double sqrtAlphaBar = schedule.sqrtAlphaCumprod(t);
        double sqrtOneMinus = schedule.sqrtOneMinusAlphaCumprod(t);
        NDManager caller = xt.getManager();
        NDArray epsilon;
        try (NDManager sub = caller.newSubManager()) {
            long[] s = known.getShape().getShape();
            NDArray m = region.mask(sub, new ImageShape((int) s[1], (int) s[2], (int) s[3])).toDevice(xt.getDevice(),
                    false);
            xt.tempAttach(sub);
            out.epsilon().tempAttach(sub);
            NDArray x0 = xt.sub(out.epsilon().mul(sqrtOneMinus)).div(sqrtAlphaBar);
            NDArray replaced = m.mul(known).add(m.neg().add(1).mul(x0));
            epsilon = xt.sub(replaced.mul(sqrtAlphaBar)).div(sqrtOneMinus);
            epsilon.attach(caller);
        }
        return new DenoiserOutput(epsilon, out.varianceFraction(), out.guidance());
    }
}
