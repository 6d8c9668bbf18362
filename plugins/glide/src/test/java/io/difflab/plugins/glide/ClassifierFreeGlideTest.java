package io.difflab.plugins.glide;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.ImageDataset;
import io.difflab.api.Split;
import io.difflab.api.TrainableNetwork;
import io.difflab.kit.condition.Conditions;
import io.difflab.kit.condition.TokenEncoder;
import io.difflab.kit.guidance.ClassifierFreeDenoiser;
import io.difflab.kit.model.DiffusionModel;
import io.difflab.kit.sampling.EstimatorDenoiser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Caption classifier-free guidance on a GLIDE with learned variance, against its closed form (survey
 * eq. 12; Nichol et al. 2021, eq. 4): the guided ε is ε(x_t, ∅) + s·(ε(x_t, c) − ε(x_t, ∅)) from the
 * network's own two passes, and the variance fraction is the conditional pass's, unguided (GLIDE's
 * {@code model_fn} guides the ε channels only and passes the rest through).
 */
class ClassifierFreeGlideTest {

    @TempDir
    static Path cache;

    @Test
    void guidanceExtrapolatesTheEpsilonChannelsAndLeavesTheVarianceConditional() {
        ImageDataset train = TinyGlide.shapes(cache, Split.TRAIN, 64);
        DiffusionModel model = TinyGlide.assemble(train, Map.of());
        TrainableNetwork net = model.networks().get(0);
        double s = 3.0;
        int t = 40;
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            net.block().initialize(m, DataType.FLOAT32, net.inputShapes());
            // zero-initialised output layers would make every output the same whatever the caption
            net.block().getParameters().values().forEach(p -> {
                NDArray a = p.getArray();
                if (a.abs().sum().getFloat() == 0 && a.getShape().dimension() > 1) {
                    a.set(m.randomNormal(0, 0.05f, a.getShape(), a.getDataType()).toFloatArray());
                }
            });
            EstimatorDenoiser base = new EstimatorDenoiser(model.estimator(), new ParameterStore(m, false),
                    model.schedule());
            Condition captions = Conditions.of(net.conditions(), Map.of("caption",
                    List.<Object>of("two red circles", "a blue square left of a green star")), 0, 2, m);
            NDArray xt = m.randomNormal(train.shape().batch(2));

            DenoiserOutput conditional = base.predict(xt, t, captions);
            DenoiserOutput unconditional = base.predict(xt, t, captions.nulled(Set.of(TokenEncoder.CAPTION)));
            DenoiserOutput guided = new ClassifierFreeDenoiser(base, s).predict(xt, t, captions);

            NDArray expected = unconditional.epsilon().add(conditional.epsilon().sub(unconditional.epsilon()).mul(s));
            assertTrue(conditional.epsilon().sub(unconditional.epsilon()).abs().max().getFloat() > 1e-3,
                    "the caption changes ε, so the check below can fail");
            assertEquals(0, guided.epsilon().sub(expected).abs().max().getFloat(), 1e-4,
                    "ε̂ = ε(x_t, ∅) + s·(ε(x_t, c) − ε(x_t, ∅))");

            NDArray fc = conditional.varianceFraction();
            NDArray f0 = unconditional.varianceFraction();
            assertTrue(fc.sub(f0).abs().max().getFloat() > 1e-4, "the caption changes v too");
            assertEquals(0, guided.varianceFraction().sub(fc).abs().max().getFloat(), 1e-5,
                    "the variance channels are the conditional pass's, unguided");
            NDArray extrapolated = f0.add(fc.sub(f0).mul(s));
            assertTrue(guided.varianceFraction().sub(extrapolated).abs().max().getFloat() > 1e-4,
                    "not extrapolated like ε");
        }
        assertEquals(List.of("caption"), net.conditions().stream().map(c -> c.name()).toList());
    }
}
