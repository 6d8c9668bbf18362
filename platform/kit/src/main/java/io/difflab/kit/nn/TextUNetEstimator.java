package io.difflab.kit.nn;

import io.difflab.api.ConditionInput;
import io.difflab.api.ConditionKind;
import io.difflab.api.Config;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.NoiseEstimator;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code text-unet} noise estimator: the {@code unet} with a text encoder inside for each token
 * condition, trained with it ({@link TextUNet}; GLIDE's text-conditional ADM, Nichol et al. 2021,
 * sec. 3.1). Embedding conditions are projected into the timestep embedding and, with
 * {@code embedding_tokens} k &gt; 0, into k context tokens too (unCLIP's decoder, Ramesh et al.
 * 2022, sec. 2.1: k = 4).
 */
@Extension
public final class TextUNetEstimator implements NoiseEstimator {

    private static final List<Option> OPTIONS = allOptions();

    private static List<Option> allOptions() {
        List<Option> all = new ArrayList<>(UNetEstimator.OPTIONS);
        all.addAll(TextEncoders.OPTIONS);
        all.add(Option.integer("embedding_tokens", 0, 0, 64, "context tokens each embedding condition is also "
                + "projected into, beside the timestep embedding (unCLIP's decoder: 4)"));
        return List.copyOf(all);
    }

    @Override
    public String name() {
        return "text-unet";
    }

    @Override
    public String description() {
        return "U-Net reading captions through a text encoder trained with it: token states in every attention "
                + "layer, the pooled vector in the timestep embedding (GLIDE)";
    }

    @Override
    public List<Option> options() {
        return OPTIONS;
    }

    @Override
    public EstimatorNetwork build(Config config, EstimatorSpec spec) {
        if (spec.conditions().stream().noneMatch(c -> c.kind() == ConditionKind.TOKENS)) {
            throw new UserError(config.path() + ".name: text-unet reads captions' token ids, and this model gives "
                    + "its estimator none (it gives " + names(spec.conditions()) + "); use estimator unet");
        }
        UNetBuilder unet = UNetEstimator.configure(config, spec);
        int tokens = config.getInt("embedding_tokens");
        for (ConditionInput c : spec.conditions()) {
            if (c.kind() == ConditionKind.EMBEDDING && tokens > 0) {
                unet.optContextTokens(c.name(), tokens);
            }
        }
        return UNetEstimator.network(config, spec, () -> TextUNet.of(unet, spec.conditions(),
                c -> TextEncoders.build(c.cardinality(), Math.toIntExact(c.itemShapes().get(0).get(0)), config)));
    }

    private static List<String> names(List<ConditionInput> conditions) {
        return conditions.stream().map(c -> c.name() + ":" + c.kind().name()).toList();
    }
}
