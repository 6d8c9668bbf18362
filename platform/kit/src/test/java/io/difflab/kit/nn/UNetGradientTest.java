package io.difflab.kit.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.difflab.api.ImageShape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.difflab.kit.nn.UNetFixture.images;
import static io.difflab.kit.nn.UNetFixture.labels;
import static io.difflab.kit.nn.UNetFixture.timesteps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backward through a tiny U-Net whose forward freed its intermediates: every parameter gets a gradient. */
class UNetGradientTest {

    private final NDManager params = NDManager.newBaseManager();
    private final NDManager step = NDManager.newBaseManager();

    @AfterEach
    void close() {
        step.close();
        params.close();
    }

    @ParameterizedTest(name = "all GD switches {0}")
    @ValueSource(booleans = {false, true})
    void everyParameterReceivesANonZeroGradient(boolean switches) {
        ImageShape shape = new ImageShape(1, 12, 12);
        UNet unet = UNetFixture.tiny(shape).optNumClasses(3).optOutChannels(2).optDropout(0.1f)
                .optResblockUpdown(switches).optUseScaleShiftNorm(switches).optRescaleSkip(switches)
                .optNumHeadChannels(switches ? 4 : -1).build();
        // zero-initialised layers would block the gradient to everything before them
        UNetFixture.randomizeZeroInitialised(unet);
        UNetFixture.initialize(unet, params, shape, 4);
        ParameterStore ps = new ParameterStore(params, false);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out = unet.forward(ps, images(step, shape, 4), timesteps(step, 4), labels(step, 4, 3), true);
            NDArray target = step.randomNormal(out.getShape());
            collector.backward(out.sub(target).square().mean());
        }
        List<String> withoutGradient = new ArrayList<>();
        int count = 0;
        for (Pair<String, Parameter> p : unet.getParameters()) {
            count++;
            try (NDArray grad = p.getValue().getArray().getGradient()) {
                if (!(grad.abs().max().getFloat() > 0)) {
                    withoutGradient.add(p.getKey());
                }
            }
        }
        assertTrue(withoutGradient.isEmpty(), "no gradient for " + withoutGradient);
        assertTrue(count > 50, "a real network: " + count + " parameters");
        assertEquals(0, step.getManagedArrays().stream().filter(a -> a.getShape().dimension() == 4
                && a.getShape().get(1) > 2).count(), "no intermediate feature map survives the forward");
    }
}
