package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.Option;
import io.difflab.api.SamplingRequest;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.diffusion.PMeanVariance;
import org.pf4j.Extension;

import java.util.List;

/**
 * Ancestral sampling, Ho et al. 2020 Alg. 2: x_{t−1} = μ_θ(x_t, t) + σ_t z with z ~ N(0, I) for
 * t &gt; 0, Σ = β_t, β̃_t or learned (the request's variance type). Guidance changes the mean as its
 * head says ({@link io.difflab.api.StepGuidance#conditionMean}: μ + Σ·g for gradient guidance,
 * Dhariwal &amp; Nichol 2021, Alg. 1).
 */
@Extension
public class AncestralSampler extends ReverseProcessSampler {

    static final boolean DEFAULT_CLIP_DENOISED = true;

    @Override
    public String name() {
        return "ancestral";
    }

    @Override
    public String description() {
        return "ancestral sampling of the reverse process (Ho et al. 2020, Alg. 2)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.bool("clip_denoised", DEFAULT_CLIP_DENOISED,
                "clip each step's x_0 estimate to [-1, 1] before computing the mean"));
    }

    @Override
    protected Stepper start(SamplingRequest request, GaussianDiffusion diffusion, NDManager history) {
        if (request.varianceType() == null) {
            throw new IllegalArgumentException("ancestral sampling needs a variance type");
        }
        boolean clip = request.config().getBoolean("clip_denoised");
        return (x, t, step, output) -> {
            PMeanVariance p = diffusion.pMeanVariance(output, x, t, request.varianceType(), clip);
            NDArray mean = output.guidance().conditionMean(p.mean(), p.variance());
            if (step == 0) {
                return new Update(mean, p.predXStart());
            }
            NDArray z = request.noise().normal(x.getManager(), x.getShape());
            return new Update(mean.add(p.logVariance().mul(0.5).exp().mul(z)), p.predXStart());
        };
    }
}
