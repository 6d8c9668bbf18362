package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.SamplingRequest;
import io.difflab.kit.diffusion.GaussianDiffusion;
import org.pf4j.Extension;

/**
 * Heun's second-order method on the probability-flow ODE over Karras σ (Karras et al. 2022, Alg. 1):
 * the Euler proposal x̄' = x̄_i + (σ_{i+1} − σ_i)·d_i, a second evaluation d'_i = ε̂(x̄', σ_{i+1}), and
 * x̄_{i+1} = x̄_i + (σ_{i+1} − σ_i)·(d_i + d'_i)/2; the last step, to σ = 0, is Euler's. So N steps
 * cost 2N − 1 estimator calls. Each evaluation goes through {@link DenoisedEstimate} (guidance in
 * score form at its own timestep, clipping).
 */
@Extension
public class HeunSampler extends KarrasSampler {

    @Override
    public String name() {
        return "heun";
    }

    @Override
    public String description() {
        return "Heun's 2nd-order steps of the probability-flow ODE over Karras sigmas (Karras et al. 2022, Alg. 1)";
    }

    @Override
    protected Stepper start(SamplingRequest request, GaussianDiffusion diffusion, NDManager history) {
        boolean clip = request.config().getBoolean("clip_denoised");
        DiffusionSchedule schedule = diffusion.schedule();
        return (x, t, step, output) -> {
            DenoisedEstimate e = DenoisedEstimate.of(diffusion, output, x, t, step, clip);
            double sigma = sigma(schedule, step);
            double sigmaNext = sigma(schedule, step - 1);
            NDArray eulerBar = e.predXStart().add(e.epsilon().mul(sigmaNext));
            if (step == 0) { // σ_{i+1} = 0: Karras et al. 2022, Alg. 1, line 7 skips the correction
                return new Update(eulerBar, e.predXStart());
            }
            NDArray proposal = eulerBar.mul(scale(schedule, step - 1));
            NDArray tNext = x.getManager().full(new Shape(x.getShape().get(0)), step - 1);
            DenoisedEstimate second = DenoisedEstimate.of(diffusion,
                    request.denoiser().predict(proposal, step - 1, request.condition()), proposal, tNext, step - 1, clip);
            // x̄_{i+1} = x̄_i + (σ_{i+1} − σ_i)(d_i + d'_i)/2 with x̄_i = D_i + σ_i d_i:
            //         = D_i + σ_i (d_i − d'_i)/2 + σ_{i+1} (d_i + d'_i)/2
            NDArray nextBar = e.predXStart().add(e.epsilon().sub(second.epsilon()).mul(sigma / 2))
                    .add(e.epsilon().add(second.epsilon()).mul(sigmaNext / 2));
            return new Update(nextBar.mul(scale(schedule, step - 1)), e.predXStart());
        };
    }
}
