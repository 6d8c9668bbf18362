package io.difflab.plugins.glide;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Condition;
import io.difflab.api.ConditionKind;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.ImageShape;
import io.difflab.api.StepGuidance;
import io.difflab.api.UserError;
import io.difflab.kit.schedule.CosineSchedule;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inpainting's known-pixel replacement against its closed form: the x̂_0 the corrected ε implies (Ho
 * et al. 2020, eq. 4) is the known image on known pixels and the model's own elsewhere, where ε is
 * unchanged; the variance fraction passes through; the regions mask what they say.
 */
class KnownPixelsTest {

    private static final ImageShape SHAPE = new ImageShape(3, 8, 8);

    @Test
    void theImpliedPredictionOfX0KeepsTheKnownPixelsAndTheModelsElsewhere() {
        DiffusionSchedule schedule = CosineSchedule.of(100).respace(new int[] {0, 30, 60, 99});
        int t = 2;
        double a = schedule.sqrtAlphaCumprod(t);
        double b = schedule.sqrtOneMinusAlphaCumprod(t);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray xt = m.randomNormal(SHAPE.batch(2));
            NDArray eps = m.randomNormal(SHAPE.batch(2));
            NDArray fraction = m.randomUniform(0, 1, SHAPE.batch(2));
            NDArray known = m.randomUniform(-1, 1, SHAPE.batch(2));
            Condition c = Condition.of(Map.of(KnownImageEncoder.NAME,
                    new Condition.Entry(ConditionKind.IMAGE, new NDList(known))));
            DenoiserOutput out = new KnownPixelsDenoiser((x, step, cond) -> new DenoiserOutput(eps, fraction,
                    StepGuidance.NONE), schedule, KnownPixels.RIGHT, KnownImageEncoder.NAME).predict(xt, t, c);

            NDArray x0 = xt.sub(out.epsilon().mul(b)).div(a);
            NDArray modelX0 = xt.sub(eps.mul(b)).div(a);
            NDArray left = x0.get(":, :, :, :4");
            assertEquals(0, left.sub(known.get(":, :, :, :4")).abs().max().getFloat(), 1e-4,
                    "x̂_0 is the known image on the kept (left) half");
            assertEquals(0, x0.get(":, :, :, 4:").sub(modelX0.get(":, :, :, 4:")).abs().max().getFloat(), 1e-4,
                    "and the model's on the repainted (right) half");
            assertEquals(0, out.epsilon().get(":, :, :, 4:").sub(eps.get(":, :, :, 4:")).abs().max().getFloat(), 1e-5);
            assertTrue(out.epsilon().get(":, :, :, :4").sub(eps.get(":, :, :, :4")).abs().max().getFloat() > 1e-2,
                    "ε changes where the pixels are known");
            assertSame(fraction, out.varianceFraction(), "the variance channels pass through");
        }
    }

    @Test
    void theRegionsMaskWhatTheySayAndEverySampleNeedsAnImage() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(32f, KnownPixels.BOTTOM.mask(m, SHAPE).sum().getFloat(), "the top half is known");
            assertEquals(1f, KnownPixels.BOTTOM.mask(m, SHAPE).getFloat(0, 0, 0, 0));
            assertEquals(0f, KnownPixels.BOTTOM.mask(m, SHAPE).getFloat(0, 0, 7, 0));
            assertEquals(64f - 16f, KnownPixels.CENTER.mask(m, SHAPE).sum().getFloat(), "a 4x4 hole");
            assertEquals(0f, KnownPixels.CENTER.mask(m, SHAPE).getFloat(0, 0, 3, 4));
            assertEquals(List.of("left", "right", "top", "bottom", "center"), KnownPixels.names());

            KnownImageEncoder encoder = new KnownImageEncoder(SHAPE);
            float[] image = new float[3 * 8 * 8];
            Arrays.fill(image, 0.5f);
            assertEquals(new Shape(1, 3, 8, 8), encoder.encode(List.of(image), m).singletonOrThrow().getShape());
            UserError none = assertThrows(UserError.class, () -> encoder.encode(Arrays.asList(image, null), m));
            assertTrue(none.getMessage().contains("sample.reference_images"), none.getMessage());
        }
    }
}
