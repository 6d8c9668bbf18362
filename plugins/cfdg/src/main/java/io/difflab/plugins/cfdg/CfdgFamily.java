package io.difflab.plugins.cfdg;

import io.difflab.api.Condition;
import io.difflab.api.ConditionInput;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.Model;
import io.difflab.api.ModelContext;
import io.difflab.api.ModelFamily;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import io.difflab.kit.condition.LabelEncoder;
import io.difflab.kit.diffusion.ConditionDropout;
import io.difflab.kit.model.DiffusionRecipe;
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

    /**
     * A class-conditional estimator (the null label ∅ included) with a fixed variance, trained on
     * L_simple with each label dropped to ∅ with probability p_uncond (Ho &amp; Salimans 2021, Alg. 1).
     */
    @Override
    public Model assemble(ModelContext context) {
        DiffusionRecipe recipe = DiffusionRecipe.of(context);
        int classes = recipe.dataset().numClasses();
        if (classes <= 0) {
            throw new UserError("model 'cfdg' trains a class-conditional estimator, but the dataset has no "
                    + "labels; use a labeled dataset (e.g. fashion-mnist, or image-folder with a labels file) "
                    + "or model 'ddpm'");
        }
        ConditionDropout dropout = ConditionDropout.of(Condition.LABEL, context.model().getDouble("p_uncond"));
        return recipe.setEstimatorSpec(new EstimatorSpec(recipe.dataset().shape(),
                        List.of(ConditionInput.labels(classes)), false))
                .setConditions(List.of(new LabelEncoder(classes)))
                .setObjective(recipe.simpleLoss(dropout))
                .build();
    }
}
