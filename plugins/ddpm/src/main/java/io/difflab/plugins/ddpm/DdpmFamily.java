package io.difflab.plugins.ddpm;

import io.difflab.api.EstimatorSpec;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.ModelFamily;
import io.difflab.kit.diffusion.ConditionDropout;
import io.difflab.kit.model.DiffusionRecipe;
import org.pf4j.Extension;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * An unconditional estimator without a learned variance (DDPM ignores labels), trained on
     * L_simple with t ~ Uniform{0..T−1} (or the spec's schedule sampler) and ε ~ N(0, I) (Ho et al.
     * 2020, Alg. 1), its target what the estimator predicts (ε by default).
     */
    @Override
    public Model assemble(ModelContext context) {
        DiffusionRecipe recipe = DiffusionRecipe.of(context);
        return recipe.setEstimatorSpec(new EstimatorSpec(recipe.dataset().shape(), List.of(), false))
                .setObjective(recipe.simpleLoss(ConditionDropout.NONE))
                .build();
    }
}
