package io.difflab.plugins.glide;

import io.difflab.api.ConditionEncoder;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.Denoiser;
import io.difflab.api.GuidanceContext;
import io.difflab.api.GuidanceCost;
import io.difflab.api.GuidanceHead;
import io.difflab.api.Option;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.guidance.ClassifierFreeDenoiser;
import org.pf4j.Extension;

import java.util.List;

/**
 * Inpainting at sampling time, for any model (Nichol et al. 2021, sec. 4.3 without the fine-tuned
 * inpainting model; glide-text2im's {@code denoised_fn}): the pixels of each sample's known image
 * ({@code sample.reference_images}) outside the {@code mask} region are kept, by replacing them in
 * every step's prediction of x_0 ({@link KnownPixelsDenoiser}); the region is repainted to agree with
 * them and, for a captioned model, with the prompt under classifier-free guidance at {@code scale}
 * (1: the conditional model alone, one estimator call per step).
 */
@Extension
public class InpaintGuidance implements GuidanceHead {

    @Override
    public String name() {
        return "glide-inpaint";
    }

    @Override
    public String description() {
        return "inpainting: the known pixels of sample.reference_images kept in every step's x0 prediction, the "
                + "mask region repainted (with classifier-free guidance on the caption)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.choice("mask", "bottom", KnownPixels.names(),
                        "the region to repaint; the rest of each reference image is kept"),
                Option.real("scale", 3.0, 0.0, 100.0,
                        "classifier-free guidance scale on the caption while repainting (1 = none: any model)"));
    }

    @Override
    public Denoiser wrap(Denoiser denoiser, GuidanceContext context) {
        Config c = context.config();
        double scale = c.getDouble("scale");
        Denoiser inner = scale == 1 ? denoiser
                : new ClassifierFreeDenoiser(denoiser, List.of(TokenEncoder.CAPTION), new double[] {scale});
        return new KnownPixelsDenoiser(inner, context.schedule(), KnownPixels.named(c.getString("mask")),
                KnownImageEncoder.NAME);
    }

    /** The known images, at the dataset's shape. */
    @Override
    public List<ConditionEncoder> conditions(Config config, DatasetInfo dataset) {
        return List.of(new KnownImageEncoder(dataset.shape()));
    }

    /** One estimator call per step, two under classifier-free guidance; no gradient. */
    @Override
    public GuidanceCost cost(Config config) {
        return new GuidanceCost(config.getDouble("scale") == 1 ? 1 : 2, 0);
    }
}
