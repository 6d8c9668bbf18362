package io.difflab.kit.guidance;

import io.difflab.api.ConditionEncoder;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.Denoiser;
import io.difflab.api.GuidanceContext;
import io.difflab.api.GuidanceCost;
import io.difflab.api.GuidanceHead;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import org.pf4j.Extension;

import java.util.List;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2021) as a wrapper around the denoiser:
 * ε̃ = ε(x_t, ∅) + s·(ε(x_t, y) − ε(x_t, ∅)), in GLIDE's form with scale s; the paper's eq. 6,
 * ε̃ = (1 + w)·ε(x_t, y) − w·ε(x_t, ∅), is the same with w = s − 1. So s = 0 samples
 * unconditionally, s = 1 conditionally without guidance, and s &gt; 1 trades diversity for
 * fidelity to y. Both evaluations go through one estimator call on a doubled batch, which costs
 * two estimator evaluations per step and no gradient. With {@code conditions} and {@code scales},
 * each named condition gets its own scale: 2 + k evaluations for k conditions (the fully
 * conditional pass supplies the learned variance).
 *
 * <p>It lives in core because every model with a null condition uses it: cfdg with class
 * labels, GLIDE with captions, the unCLIP decoder with CLIP embeddings.
 */
@Extension
public class ClassifierFreeGuidance implements GuidanceHead {

    /** s = 3, i.e. w = 2 in Ho &amp; Salimans' terms: well into the guided regime, short of saturation. */
    static final double DEFAULT_SCALE = 3.0;

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
                                + "1 conditional, above 1 guided (Ho & Salimans' w = s - 1)"),
                Option.stringList("conditions", List.of(), List.of(),
                        "the conditions to guide (default: every condition the samples carry)"),
                Option.realList("scales", List.of(), 0.0, 100.0,
                        "a scale per entry of conditions instead of one joint scale (composable guidance)"));
    }

    @Override
    public Denoiser wrap(Denoiser denoiser, GuidanceContext context) {
        Config c = context.config();
        List<String> names = c.getStringList("conditions");
        List<Double> perCondition = c.getDoubleList("scales");
        if (!perCondition.isEmpty() && perCondition.size() != names.size()) {
            throw new UserError(c.path() + ".scales: one scale per entry of " + c.path() + ".conditions " + names
                    + ", got " + perCondition.size());
        }
        double[] scales = perCondition.isEmpty() ? new double[] {c.getDouble("scale")}
                : perCondition.stream().mapToDouble(Double::doubleValue).toArray();
        return new ClassifierFreeDenoiser(denoiser, names, scales);
    }

    /** Steers by the estimator's own conditions; checks that the scales fit the named conditions. */
    @Override
    public List<ConditionEncoder> conditions(Config config, DatasetInfo dataset) {
        int names = config.getStringList("conditions").size();
        int scales = config.getDoubleList("scales").size();
        if (scales != 0 && scales != names) {
            throw new UserError(config.path() + ".scales: one scale per entry of " + config.path() + ".conditions ("
                    + names + "), got " + scales);
        }
        return List.of();
    }

    /** 2 estimator evaluations (conditional and unconditional), or 2 + k with k per-condition scales. */
    @Override
    public GuidanceCost cost(Config config) {
        int perCondition = config.getDoubleList("scales").size();
        return new GuidanceCost(2 + perCondition, 0);
    }
}
