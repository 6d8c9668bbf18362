package io.difflab.plugins.cfdg;

import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.ImageShape;
import io.difflab.api.ModelFamily;
import io.difflab.api.Option;
import io.difflab.api.TrainingObjective;
import io.difflab.api.UserError;
import io.difflab.kit.diffusion.ConditionDropout;
import io.difflab.kit.diffusion.GaussianDiffusion;
import org.pf4j.Extension;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classifier-free diffusion guidance, Ho &amp; Salimans 2021: DDPM's recipe (linear β schedule over
 * T = 1000 steps, a U-Net predicting ε with a fixed variance, L_simple, ancestral sampling) with a
 * class-conditional estimator whose label is dropped to the null label ∅ with probability
 * p_uncond in training (Alg. 1), so that the one network predicts both ε(x_t, y) and ε(x_t, ∅);
 * sampling combines them by the {@code classifier-free} guidance head (Alg. 2).
 */
@Extension
public class CfdgFamily implements ModelFamily {

    /** Ho &amp; Salimans 2021, sec. 4.2: p_uncond of 0.1 and 0.2 did better than 0.5. */
    static final double DEFAULT_P_UNCOND = 0.1;

    @Override
    public String name() {
        return "cfdg";
    }

    @Override
    public String description() {
        return "classifier-free diffusion guidance: a class-conditional DDPM trained with label dropout "
                + "(Ho & Salimans 2021)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.real("p_uncond", DEFAULT_P_UNCOND, 0.0, 1.0,
                "probability that a training sample's label is replaced by the null label"));
    }

    @Override
    public Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("schedule.name", "linear");
        defaults.put("schedule.timesteps", 1000);
        defaults.put("estimator.name", "unet");
        defaults.put("sampler.name", "ancestral");
        defaults.put("sampler.variance", "fixed_large");
        defaults.put("guidance.name", "classifier-free");
        return Collections.unmodifiableMap(defaults);
    }

    /** Conditional on the dataset's classes (plus the null label), with a fixed variance. */
    @Override
    public EstimatorSpec estimatorSpec(Config model, ImageShape shape, int numClasses) {
        if (numClasses <= 0) {
            throw new UserError("model 'cfdg' trains a class-conditional estimator, but the dataset has no "
                    + "labels; use a labeled dataset (e.g. fashion-mnist, or image-folder with a labels file) "
                    + "or model 'ddpm'");
        }
        return new EstimatorSpec(shape, numClasses, false);
    }

    /** Unusable without the estimator spec: the null label is its {@code numClasses}. */
    @Override
    public TrainingObjective objective(Config model, DiffusionSchedule schedule) {
        throw new IllegalStateException("cfdg's objective drops labels to the null label numClasses; "
                + "call objective(model, schedule, estimatorSpec)");
    }

    /** L_simple on labels dropped to ∅ with probability p_uncond (Ho &amp; Salimans 2021, Alg. 1). */
    @Override
    public TrainingObjective objective(Config model, DiffusionSchedule schedule, EstimatorSpec spec) {
        if (!spec.conditional()) {
            throw new IllegalArgumentException("cfdg needs a conditional estimator spec, got " + spec);
        }
        double pUncond = model.has("p_uncond") ? model.getDouble("p_uncond") : DEFAULT_P_UNCOND;
        return new LabelDropoutObjective(new GaussianDiffusion(schedule), new ConditionDropout(pUncond),
                spec.numClasses());
    }
}
