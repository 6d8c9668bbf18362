package io.difflab.plugins.sdg;

import io.difflab.api.ConditionFields;

/**
 * The matching scores of semantic diffusion guidance (Liu et al. 2021; the survey's sec. 3.3), each
 * a function F(x_t, ·, t) of the noisy image that guidance ascends, with the condition it compares
 * x_t with and the option key of its weight in a multimodal mix.
 */
public enum SemanticTerm {

    /** Language guidance: F = cos(E_I(x_t, t), E_T(l)) of the caption l (Liu et al. 2021, sec. 3.2). */
    LANGUAGE("language", ConditionFields.CAPTION),

    /**
     * Image semantic (content) guidance: F = cos(E_I(x_t, t), E_I(x'_t, t)), x'_t the reference
     * noised to the same t (the survey's eq. 8).
     */
    SEMANTIC("semantic", ConditionFields.REFERENCE_IMAGE),

    /**
     * Image structure guidance: F = −Σ_j ‖F_j(x_t, t) − F_j(x'_t, t)‖₂ / (C_j H_j W_j) over the image
     * encoder's intermediate feature maps (the survey's eq. 9).
     */
    STRUCTURE("structure", ConditionFields.REFERENCE_IMAGE),

    /**
     * Image style guidance: F = −Σ_j ‖G_j(x_t, t) − G_j(x'_t, t)‖²_F with G_j = F_j F_jᵀ the Gram
     * matrices (C_j × C_j) of the same feature maps (the survey's eq. 10), each term over
     * 4 C_j² (H_j W_j)² (Gatys et al. 2016, eq. 4).
     */
    STYLE("style", ConditionFields.REFERENCE_IMAGE);

    private final String key;
    private final String field;

    SemanticTerm(String key, String field) {
        this.key = key;
        this.field = field;
    }

    /** Its name in specs: the weight's option key of the multimodal head. */
    public String key() {
        return key;
    }

    /** The raw condition field it compares x_t with: a caption or a reference image. */
    public String field() {
        return field;
    }

    /** Whether it compares x_t with a reference image. */
    public boolean needsReference() {
        return field.equals(ConditionFields.REFERENCE_IMAGE);
    }
}
