package io.difflab.plugins.sdg;

import io.difflab.api.Config;
import io.difflab.api.ExtensionRegistry;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import java.util.Map;

/**
 * Semantic diffusion guidance by a reference image's structure (the survey's eq. 9): the image
 * encoder's intermediate feature maps of x_t and x'_t matched, F = −Σ_j ‖F_j(x_t, t) − F_j(x'_t, t)‖₂ / (C_j H_j W_j).
 */
@Extension
public final class ImageStructureGuidance extends SemanticGuidance {

    @Inject
    public ImageStructureGuidance(ExtensionRegistry registry) {
        super(registry);
    }

    @Override
    public String name() {
        return "sdg-structure";
    }

    @Override
    public String description() {
        return "SDG image structure guidance: F = -sum_j ||F_j(x_t) - F_j(x'_t)|| / (C_j H_j W_j) over the image encoder's feature maps (survey eq. 9)";
    }

    @Override
    protected Map<SemanticTerm, Double> weights(Config config) {
        return Map.of(SemanticTerm.STRUCTURE, 1.0);
    }
}
