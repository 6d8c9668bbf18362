package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.SamplingRequest;
import io.difflab.kit.diffusion.GaussianDiffusion;
import org.pf4j.Extension;

/**
 * Euler's method on the probability-flow ODE over Karras σ (Karras et al. 2022, Alg. 1 without its
 * second-order correction): x̄_{i+1} = x̄_i + (σ_{i+1} − σ_i)·d_i with d_i = (x̄_i − D_i)/σ_i = ε̂_i.
 * Written through x̄_i = D_i + σ_i·d_i as x̄_{i+1} = D_i + σ_{i+1}·d_i, which is DDIM's η = 0
 * update (Song et al. 2021, eq. 12; Karras et al. 2022, sec. 3 show DDIM is this Euler step): on
 * the same timesteps the two agree; the default spacing differs. First order; one estimator call
 * per step. Guidance enters in score form ({@link DenoisedEstimate}).
 */
@Extension
public class EulerSampler extends KarrasSampler {

    @Override
    public String name() {
        return "euler";
    }

    @Override
    public String description() {
        return "Euler steps of the probability-flow ODE over Karras sigmas (Karras et al. 2022, Alg. 1 first order)";
    }

    @Override
    protected Stepper start(SamplingRequest request, GaussianDiffusion diffusion, NDManager history) {
        boolean clip = request.config().getBoolean("clip_denoised");
        DiffusionSchedule schedule = diffusion.schedule();
        return (x, t, step, output) -> {
            DenoisedEstimate e = DenoisedEstimate.of(diffusion, output, x, t, step, clip);
            // x̄_{i+1} = D_i + σ_{i+1}·d_i, then back to the VP sample x = √ᾱ·x̄
            NDArray next = e.predXStart().add(e.epsilon().mul(sigma(schedule, step - 1)))
                    .mul(scale(schedule, step - 1));
            return new Update(next, e.predXStart());
        };
    }
}
