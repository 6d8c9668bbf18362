package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Condition;
import io.difflab.api.Denoiser;
import io.difflab.api.DiffusionSchedule;
import io.difflab.kit.diffusion.GaussianDiffusion;

/**
 * DDIM inversion: the η = 0 DDIM step run forward in time, x_{t+1} = √ᾱ_{t+1}·x̂_0 + √(1 − ᾱ_{t+1})·ε̂
 * from ε̂ = ε_θ(x_t, t) (Song et al. 2021, sec. 4.3 and eq. 13: the ODE can be integrated either way;
 * guided-diffusion's {@code ddim_reverse_sample}). Inverting an image over every step of a schedule
 * gives the x_T from which {@link DdimSampler} with η = 0 returns it, up to the discretization
 * error, which vanishes as the steps get finer. Guidance enters as in the sampler (score form).
 */
public final class DdimInversion {

    private DdimInversion() {
    }

    /** One forward step from x_t at {@code step} of {@code diffusion}'s schedule to x_{t+1} (ᾱ_T = 0 beyond the last). */
    public static NDArray reverseStep(GaussianDiffusion diffusion, Denoiser denoiser, NDArray x, int step,
                                      Condition condition, boolean clip) {
        NDArray t = x.getManager().full(new Shape(x.getShape().get(0)), step);
        DenoisedEstimate e = DenoisedEstimate.of(diffusion, denoiser.predict(x, step, condition), x, t, step, clip);
        double alphaBarNext = diffusion.schedule().alphaCumprodNext(step);
        return e.predXStart().mul(Math.sqrt(alphaBarNext)).add(e.epsilon().mul(Math.sqrt(1 - alphaBarNext)));
    }

    /**
     * x_T for {@code xStart}, walking the sampler's path backwards: first from the data (σ = 0) to
     * step 0, x_0 = √ᾱ_0·x_data + √(1 − ᾱ_0)·ε_θ(x_data, 0) (the data itself is the x_0 estimate
     * there), then {@link #reverseStep} from each step to the next, ending at the schedule's last
     * step, where sampling starts: N estimator calls for N steps, as the sampler's. Each step's
     * arrays live in a sub-manager; the result lives in {@code xStart}'s manager.
     */
    public static NDArray invert(DiffusionSchedule schedule, Denoiser denoiser, NDArray xStart, Condition condition,
                                 boolean clip) {
        GaussianDiffusion diffusion = new GaussianDiffusion(schedule);
        NDManager manager = xStart.getManager();
        NDArray x;
        try (NDManager sub = manager.newSubManager()) {
            NDArray data = xStart.duplicate();
            data.attach(sub);
            NDArray t = sub.full(new Shape(data.getShape().get(0)), 0);
            NDArray eps = DenoisedEstimate.of(diffusion, denoiser.predict(data, 0, condition), data, t, 0, clip)
                    .epsilon();
            x = data.mul(schedule.sqrtAlphaCumprod(0)).add(eps.mul(schedule.sqrtOneMinusAlphaCumprod(0)));
            x.attach(manager);
        }
        for (int step = 0; step < schedule.timesteps() - 1; step++) {
            try (NDManager sub = manager.newSubManager()) {
                x.attach(sub);
                NDArray next = reverseStep(diffusion, denoiser, x, step, condition, clip);
                next.attach(manager);
                x = next;
            }
        }
        return x;
    }
}
