package io.difflab.plugins.sdg;

import io.difflab.api.Config;
import io.difflab.api.ExtensionRegistry;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import java.util.Map;

/**
 * Semantic diffusion guidance by language (Liu et al. 2021, sec. 3.2): F = cos(E_I(x_t, t), E_T(l)),
 * the caption l from {@code sample.prompts}.
 */
@Extension
public final class LanguageGuidance extends SemanticGuidance {

    @Inject
    public LanguageGuidance(ExtensionRegistry registry) {
        super(registry);
    }

    @Override
    public String name() {
        return "sdg-language";
    }

    @Override
    public String description() {
        return "SDG language guidance: F = cos(E_I(x_t, t), E_T(l)) with the caption l from sample.prompts (Liu et al. 2021, sec. 3.2)";
    }

    @Override
    protected Map<SemanticTerm, Double> weights(Config config) {
        return Map.of(SemanticTerm.LANGUAGE, 1.0);
    }
}
