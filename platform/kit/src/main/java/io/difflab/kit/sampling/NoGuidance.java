package io.difflab.kit.sampling;

import io.difflab.api.Config;
import io.difflab.api.Denoiser;
import io.difflab.api.GuidanceContext;
import io.difflab.api.GuidanceCost;
import io.difflab.api.GuidanceHead;
import org.pf4j.Extension;

/** No guidance: the denoiser as it is, one estimator call and no gradient per step. */
@Extension
public class NoGuidance implements GuidanceHead {

    @Override
    public String name() {
        return "none";
    }

    @Override
    public String description() {
        return "unguided sampling";
    }

    @Override
    public Denoiser wrap(Denoiser denoiser, GuidanceContext context) {
        return denoiser;
    }

    @Override
    public GuidanceCost cost(Config config) {
        return GuidanceCost.UNGUIDED;
    }
}
