package io.difflab.kit.guidance;

import ai.djl.nn.Block;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.Denoiser;
import io.difflab.api.GuidanceContext;
import io.difflab.api.GuidanceCost;
import io.difflab.api.GuidanceHead;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import io.difflab.kit.condition.LabelEncoder;
import org.pf4j.Extension;

import java.util.List;
import java.util.Set;

/**
 * Classifier guidance (Dhariwal &amp; Nichol 2021, sec. 4, Alg. 1 and 2): gradient guidance by
 * F = log p_φ(y | x_t, t) of the run's trained network {@code classifier} (the convention of this
 * package), g = s·∇_{x_t} F, which the ancestral sampler adds to the mean as Σ·g and DDIM
 * subtracts from ε as √(1 − ᾱ_t)·g ({@link GradientGuidance}). The classifier sees the original
 * timestep, also on a respaced schedule. It steers toward the class labels it asks the host to
 * supply for every sample. One estimator call and one classifier gradient per step.
 */
@Extension
public class ClassifierGuidance implements GuidanceHead {

    /** The name of the trained network it uses. */
    public static final String CLASSIFIER = "classifier";
    /** The guidance scale s of Dhariwal &amp; Nichol 2021 (1 = the plain conditional p(y | x_t)). */
    public static final double DEFAULT_SCALE = 1.0;

    @Override
    public String name() {
        return "classifier";
    }

    @Override
    public String description() {
        return "classifier guidance with a noise-aware classifier (Dhariwal & Nichol 2021, Alg. 1)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.real("scale", DEFAULT_SCALE, 0.0, 100.0,
                "guidance scale s: the gradient s * grad log p(y | x_t) shifts each step (0 = unguided)"));
    }

    @Override
    public Denoiser wrap(Denoiser denoiser, GuidanceContext context) {
        Block classifier = context.auxiliary(CLASSIFIER);
        if (classifier.getParameters().isEmpty()) {
            throw new IllegalArgumentException("the classifier has no parameters: it was not initialized");
        }
        ClassifierGradient score = ClassifierGradient.frozen(classifier,
                classifier.getParameters().valueAt(0).getArray().getManager());
        return ScoreGuidance.wrap(denoiser, score, context.config().getDouble("scale"),
                context.schedule().timestepMap());
    }

    /** One estimator call and one classifier backward pass per step; none at s = 0, which is unguided. */
    @Override
    public GuidanceCost cost(Config config) {
        return config.getDouble("scale") == 0 ? GuidanceCost.UNGUIDED : new GuidanceCost(1, 1);
    }

    /** The class labels to steer toward; the dataset must have them. */
    @Override
    public List<ConditionEncoder> conditions(Config config, DatasetInfo dataset) {
        if (dataset.numClasses() == 0) {
            throw new UserError(config.path() + ": classifier guidance steers samples toward class labels, but the "
                    + "dataset has none; use a labeled dataset (e.g. fashion-mnist) or " + config.path() + ".name: none");
        }
        return List.of(new LabelEncoder(dataset.numClasses()));
    }

    @Override
    public Set<String> requiredNetworks(Config config) {
        return Set.of(CLASSIFIER);
    }
}
