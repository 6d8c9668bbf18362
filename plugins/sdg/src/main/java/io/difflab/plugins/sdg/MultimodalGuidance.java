package io.difflab.plugins.sdg;

import io.difflab.api.Config;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Multimodal semantic diffusion guidance (Liu et al. 2021, sec. 3.4): F = Σ_i w_i F_i, any mix of the
 * language, image semantic, structure and style scores, each weight an option of its own (0 leaves
 * the term out).
 */
@Extension
public final class MultimodalGuidance extends SemanticGuidance {

    @Inject
    public MultimodalGuidance(ExtensionRegistry registry) {
        super(registry);
    }

    @Override
    public String name() {
        return "sdg";
    }

    @Override
    public String description() {
        return "SDG multimodal guidance: F = sum_i w_i F_i of language, semantic, structure and style scores";
    }

    @Override
    protected List<Option> termOptions() {
        List<Option> options = new ArrayList<>();
        for (SemanticTerm term : SemanticTerm.values()) {
            options.add(Option.real(term.key(), 0.0, 0.0, 1.0e6, "w of the " + term.key() + " score (0: left out)"));
        }
        return options;
    }

    @Override
    protected Map<SemanticTerm, Double> weights(Config config) {
        Map<SemanticTerm, Double> weights = new EnumMap<>(SemanticTerm.class);
        for (SemanticTerm term : SemanticTerm.values()) {
            double w = config.getDouble(term.key());
            if (w > 0) {
                weights.put(term, w);
            }
        }
        if (weights.isEmpty()) {
            throw new UserError(config.path() + ": multimodal semantic guidance needs at least one weight > 0 among "
                    + "language, semantic, structure, style");
        }
        return weights;
    }
}
