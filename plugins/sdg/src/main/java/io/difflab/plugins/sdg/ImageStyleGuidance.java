package io.difflab.plugins.sdg;

import io.difflab.api.Config;
import io.difflab.api.ExtensionRegistry;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import java.util.Map;

/**
 * Semantic diffusion guidance by a reference image's style (the survey's eq. 10): the Gram matrices of the
 * image encoder's feature maps matched, F = −Σ_j ‖G_j(x_t, t) − G_j(x'_t, t)‖²_F / (4 C_j² (H_j W_j)²) (normalised as
 * Gatys et al. 2016, eq. 4).
 */
@Extension
public final class ImageStyleGuidance extends SemanticGuidance {

    @Inject
    public ImageStyleGuidance(ExtensionRegistry registry) {
        super(registry);
    }

    @Override
    public String name() {
        return "sdg-style";
    }

    @Override
    public String description() {
        return "SDG image style guidance: F = -sum_j ||Gram_j(x_t) - Gram_j(x'_t)||_F^2 / (4 C_j^2 (H_j W_j)^2) of the image encoder's feature maps (survey eq. 10, normalised as Gatys et al. 2016 eq. 4)";
    }

    @Override
    protected Map<SemanticTerm, Double> weights(Config config) {
        return Map.of(SemanticTerm.STYLE, 1.0);
    }
}
