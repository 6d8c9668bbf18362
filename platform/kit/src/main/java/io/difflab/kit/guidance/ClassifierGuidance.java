package io.difflab.kit.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import io.difflab.api.Condition;
import io.difflab.api.Config;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.GuidanceContext;
import io.difflab.api.GuidanceCost;
import io.difflab.api.GuidanceHead;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import org.pf4j.Extension;

import java.util.List;

/**
 * Classifier guidance (Dhariwal &amp; Nichol 2021, sec. 4, Alg. 1 and 2): the denoiser's output
 * carries g = s·∇_{x_t} log p_φ(y | x_t, t) from the auxiliary network {@code classifier} (the
 * convention of this package), which the ancestral sampler adds to the mean as Σ·g and DDIM
 * subtracts from ε as √(1 − ᾱ_t)·g. The classifier sees the original timestep, also on a
 * respaced schedule. One estimator call and one classifier gradient per step.
 */
@Extension
public class ClassifierGuidance implements GuidanceHead {

    /** The name of the auxiliary network it uses. */
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
        double scale = scale(context.config());
        Block classifier = context.auxiliary(CLASSIFIER);
        if (classifier.getParameters().isEmpty()) {
            throw new IllegalArgumentException("the classifier has no parameters: it was not initialized");
        }
        ClassifierGradient gradient = ClassifierGradient.frozen(classifier,
                classifier.getParameters().valueAt(0).getArray().getManager());
        int[] timestepMap = context.schedule().timestepMap();
        String section = context.config().path();
        return (xt, t, condition) -> {
            requireLabels(condition, section);
            DenoiserOutput output = denoiser.predict(xt, t, condition);
            if (scale == 0) {
                return output;
            }
            NDArray g = gradient.gradient(xt, timestepMap[t], condition.labels());
            NDArray scaled = g.muli(scale);
            return output.withLogProbGradient(output.logProbGradient() == null ? scaled
                    : scaled.addi(output.logProbGradient()));
        };
    }

    /** One estimator call and one classifier backward pass per step; none at s = 0, which is unguided. */
    @Override
    public GuidanceCost cost(Config config) {
        return scale(config) == 0 ? GuidanceCost.UNGUIDED : new GuidanceCost(1, 1);
    }

    private static double scale(Config config) {
        return config.has("scale") ? config.getDouble("scale") : DEFAULT_SCALE;
    }

    private static void requireLabels(Condition condition, String section) {
        if (!condition.hasLabels()) {
            throw new UserError(section + ": classifier guidance steers samples toward requested class labels, "
                    + "but unconditional samples were asked for; sample with class labels (a labeled dataset "
                    + "such as fashion-mnist) or set " + section + ".name: none");
        }
    }
}
