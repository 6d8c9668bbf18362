package io.difflab.kit.guidance;

import io.difflab.api.Config;
import io.difflab.api.Denoiser;
import io.difflab.api.GuidanceContext;
import io.difflab.api.GuidanceCost;
import io.difflab.api.GuidanceHead;
import io.difflab.api.Option;
import org.pf4j.Extension;

import java.util.List;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2021) as a wrapper around the denoiser:
 * ε̃ = ε(x_t, ∅) + s·(ε(x_t, y) − ε(x_t, ∅)), in GLIDE's form with scale s; the paper's eq. 6,
 * ε̃ = (1 + w)·ε(x_t, y) − w·ε(x_t, ∅), is the same with w = s − 1. So s = 0 samples
 * unconditionally, s = 1 conditionally without guidance, and s &gt; 1 trades diversity for
 * fidelity to y. Both evaluations go through one estimator call on a doubled batch, which costs
 * two estimator evaluations per step and no gradient.
 *
 * <p>It lives in core because every model with a null condition uses it: cfdg with class
 * labels, GLIDE with captions, the unCLIP decoder with CLIP embeddings.
 */
@Extension
public class ClassifierFreeGuidance implements GuidanceHead {

    /** s = 3, i.e. w = 2 in Ho &amp; Salimans' terms: well into the guided regime, short of saturation. */
    static final double DEFAULT_SCALE = 3.0;

    /** Two estimator evaluations (conditional and unconditional), no gradient. */
    static final GuidanceCost COST = new GuidanceCost(2, 0);

    @Override
    public String name() {
        return "classifier-free";
    }

    @Override
    public String description() {
        return "classifier-free guidance: eps(x,null) + s*(eps(x,y) - eps(x,null)) (Ho & Salimans 2021)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.real("scale", DEFAULT_SCALE, 0.0, 100.0,
                "guidance scale s in eps(x,null) + s*(eps(x,y) - eps(x,null)): 0 unconditional, "
                        + "1 conditional, above 1 guided (Ho & Salimans' w = s - 1)"));
    }

    @Override
    public Denoiser wrap(Denoiser denoiser, GuidanceContext context) {
        return new ClassifierFreeDenoiser(denoiser, scale(context.config()));
    }

    @Override
    public GuidanceCost cost(Config config) {
        return COST;
    }

    private static double scale(Config config) {
        return config != null && config.has("scale") ? config.getDouble("scale") : DEFAULT_SCALE;
    }
}
