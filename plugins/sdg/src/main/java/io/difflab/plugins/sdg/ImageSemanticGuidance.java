package io.difflab.plugins.sdg;

import io.difflab.api.Config;
import io.difflab.api.ExtensionRegistry;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import java.util.Map;

/**
 * Semantic diffusion guidance by a reference image's semantics (Liu et al. 2021, sec. 3.3; the survey's
 * eq. 8): F = cos(E_I(x_t, t), E_I(x'_t, t)), x'_t = q_sample(x'_0, t) of the reference x'_0 from
 * {@code sample.reference_images}.
 */
@Extension
public final class ImageSemanticGuidance extends SemanticGuidance {

    @Inject
    public ImageSemanticGuidance(ExtensionRegistry registry) {
        super(registry);
    }

    @Override
    public String name() {
        return "sdg-semantic";
    }

    @Override
    public String description() {
        return "SDG image semantic guidance: F = cos(E_I(x_t, t), E_I(x'_t, t)), x'_t the reference noised to t (survey eq. 8)";
    }

    @Override
    protected Map<SemanticTerm, Double> weights(Config config) {
        return Map.of(SemanticTerm.SEMANTIC, 1.0);
    }
}
