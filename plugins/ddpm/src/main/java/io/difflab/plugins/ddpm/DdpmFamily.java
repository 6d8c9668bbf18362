package io.difflab.plugins.ddpm;

import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.ImageShape;
import io.difflab.api.ModelFamily;
import io.difflab.api.TrainingObjective;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.diffusion.SimpleLossObjective;
import org.pf4j.Extension;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DDPM, Ho et al. 2020: the linear β schedule over T = 1000 steps, an unconditional U-Net
 * predicting ε with a fixed variance, trained on L_simple (eq. 14, Alg. 1) and sampled
 * ancestrally with Σ = β_t (Alg. 2; sec. 3.2 reports β_t and β̃_t alike for samples).
 */
@Extension
public class DdpmFamily implements ModelFamily {

    @Override
    public String name() {
        return "ddpm";
    }

    @Override
    public String description() {
        return "denoising diffusion probabilistic models (Ho et al. 2020)";
    }

    @Override
    public Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("schedule.name", "linear");
        defaults.put("schedule.timesteps", 1000);
        defaults.put("estimator.name", "unet");
        defaults.put("sampler.name", "ancestral");
        defaults.put("sampler.variance", "fixed_large");
        return Collections.unmodifiableMap(defaults);
    }

    /** Unconditional (DDPM ignores labels) and without a learned variance. */
    @Override
    public EstimatorSpec estimatorSpec(Config model, ImageShape shape, int numClasses) {
        return new EstimatorSpec(shape, 0, false);
    }

    /** L_simple with t ~ Uniform{0..T−1} and ε ~ N(0, I) (Ho et al. 2020, Alg. 1). */
    @Override
    public TrainingObjective objective(Config model, DiffusionSchedule schedule) {
        return new SimpleLossObjective(new GaussianDiffusion(schedule));
    }
}
