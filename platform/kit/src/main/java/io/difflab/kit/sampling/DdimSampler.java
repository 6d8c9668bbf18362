package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.Option;
import io.difflab.api.SamplingRequest;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.schedule.TimestepSpacing;
import org.pf4j.Extension;

import java.util.List;

/**
 * DDIM sampling, Song et al. 2021 eq. 12: x_{t−1} = √ᾱ_{t−1} x̂_0 + √(1 − ᾱ_{t−1} − σ_t²) ε̂ + σ_t z
 * with σ_t = η √((1 − ᾱ_{t−1})/(1 − ᾱ_t)) √(1 − ᾱ_t/ᾱ_{t−1}) (eq. 16); η = 0 is deterministic.
 * Guidance enters in score form as its head says ({@link io.difflab.api.StepGuidance#conditionScore}:
 * ε̂ = ε − √(1 − ᾱ_t)·g for gradient guidance, Dhariwal &amp; Nichol 2021, Alg. 2). A plain step
 * count N is spaced by DDIM's integer stride (guided-diffusion's {@code ddimN}: 0, s, 2s, ..., so
 * 25 of 1000 steps end at t = 960, not at the last timestep).
 */
@Extension
public class DdimSampler extends ReverseProcessSampler implements SpacedSampler {

    static final double DEFAULT_ETA = 0.0;
    static final boolean DEFAULT_CLIP_DENOISED = true;

    @Override
    public String name() {
        return "ddim";
    }

    @Override
    public String description() {
        return "denoising diffusion implicit models, deterministic at eta=0 (Song et al. 2021, eq. 12)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.real("eta", DEFAULT_ETA, 0.0, 1.0, "noise scale: 0 deterministic, 1 like ancestral sampling"),
                Option.bool("clip_denoised", DEFAULT_CLIP_DENOISED,
                        "clip each step's x_0 estimate to [-1, 1] before taking the step"));
    }

    /** A plain count N takes DDIM's integer stride ({@code ddimN}) where one gives exactly N, else N evenly spaced steps. */
    @Override
    public int[] spacing(DiffusionSchedule full, int steps, Config config) {
        return TimestepSpacing.hasStride(full.timesteps(), steps) ? TimestepSpacing.ddim(full.timesteps(), steps)
                : TimestepSpacing.sections(full.timesteps(), steps);
    }

    @Override
    protected Stepper start(SamplingRequest request, GaussianDiffusion diffusion, NDManager history) {
        double eta = request.config().getDouble("eta");
        boolean clip = request.config().getBoolean("clip_denoised");
        DiffusionSchedule schedule = diffusion.schedule();
        return (x, t, step, output) -> {
            double alphaBar = schedule.alphaCumprod(step);
            double alphaBarPrev = schedule.alphaCumprodPrev(step);
            DenoisedEstimate e = DenoisedEstimate.of(diffusion, output, x, t, step, clip);
            // Song et al. 2021, eq. 16
            double sigma = eta * Math.sqrt((1.0 - alphaBarPrev) / (1.0 - alphaBar))
                    * Math.sqrt(1.0 - alphaBar / alphaBarPrev);
            // Song et al. 2021, eq. 12
            NDArray next = e.predXStart().mul(Math.sqrt(alphaBarPrev))
                    .add(e.epsilon().mul(Math.sqrt(Math.max(0.0, 1.0 - alphaBarPrev - sigma * sigma))));
            if (step > 0 && sigma > 0) {
                next = next.add(request.noise().normal(x.getManager(), x.getShape()).mul(sigma));
            }
            return new Update(next, e.predXStart());
        };
    }
}
