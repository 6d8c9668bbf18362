package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.difflab.api.Config;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.ImageShape;
import io.difflab.api.Option;
import io.difflab.api.Parameterization;
import io.difflab.api.UserError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UNetEstimatorTest {

    private static final ImageShape FASHION_MNIST = new ImageShape(1, 28, 28);

    private final UNetEstimator estimator = new UNetEstimator();
    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    /** The defaults of options(), with overrides, as the host's validation would produce. */
    private Config config(Map<String, Object> overrides) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Option o : estimator.options()) {
            values.put(o.key(), o.defaultValue());
        }
        values.putAll(overrides);
        return new Config("estimator", values);
    }

    @Test
    void declaresTheAgreedOptions() {
        assertEquals("unet", estimator.name());
        assertEquals(List.of("base_channels", "channel_mult", "num_res_blocks", "attention_resolutions", "dropout",
                "num_heads", "num_head_channels", "resblock_updown", "rescale_skip", "use_scale_shift_norm",
                "norm_groups", "prediction"), estimator.options().stream().map(Option::key).toList());
        assertTrue(estimator.options().stream().noneMatch(Option::required));
    }

    @Test
    void defaultsBuildAnEpsilonUNetForFashionMnist() {
        EstimatorSpec spec = new EstimatorSpec(FASHION_MNIST, 10, true);
        EstimatorNetwork network = estimator.build(config(Map.of()), spec);
        assertEquals(Parameterization.EPSILON, network.parameterization());
        assertEquals(spec, network.spec());
        UNet unet = assertInstanceOf(UNet.class, network.block());
        assertTrue(unet.isConditional());
    }

    @Test
    void predictionDeclaresTheParameterization() {
        EstimatorSpec spec = new EstimatorSpec(FASHION_MNIST, 0, false);
        assertEquals(Parameterization.X0, estimator.build(config(Map.of("prediction", "x0")), spec).parameterization());
        assertEquals(Parameterization.V, estimator.build(config(Map.of("prediction", "v")), spec).parameterization());
    }

    static Stream<Map<String, Object>> switches() {
        return Stream.of(Map.of(), Map.of("resblock_updown", true), Map.of("rescale_skip", true),
                Map.of("use_scale_shift_norm", true), Map.of("num_head_channels", 8), Map.of("num_heads", 1),
                Map.of("attention_resolutions", List.of(28, 14, 7)), Map.of("channel_mult", List.of(1, 2, 2, 2)),
                Map.of("num_res_blocks", 1), Map.of("dropout", 0.0), Map.of("norm_groups", 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("switches")
    void eachSwitchBuildsAndRuns(Map<String, Object> change) {
        Map<String, Object> values = new LinkedHashMap<>(Map.of("base_channels", 16));
        values.putAll(change);
        EstimatorSpec spec = new EstimatorSpec(FASHION_MNIST, 10, true);
        UNet unet = (UNet) estimator.build(config(values), spec).block();
        UNetFixture.initialize(unet, manager, FASHION_MNIST, 2);
        NDArray out = unet.forward(new ParameterStore(manager, false), UNetFixture.images(manager, FASHION_MNIST, 2),
                UNetFixture.timesteps(manager, 2), UNetFixture.labels(manager, 2, 10), true);
        assertEquals(FASHION_MNIST.batch(2).slice(0, 1).add(2, 28, 28), out.getShape());
    }

    @Test
    void aBadCombinationIsAUserErrorNamingTheKeyPath() {
        EstimatorSpec spec = new EstimatorSpec(new ImageShape(3, 32, 32), 0, false);
        UserError e = assertThrows(UserError.class,
                () -> estimator.build(config(Map.of("attention_resolutions", List.of(14))), spec));
        assertTrue(e.getMessage().startsWith("estimator.attention_resolutions: 14 matches no level"), e.getMessage());
        assertEquals(2, e.exitCode(), "a spec that cannot work, as validation reports it");
        UserError heads = assertThrows(UserError.class,
                () -> estimator.build(config(Map.of("num_heads", 3, "attention_resolutions", List.of(16))), spec));
        assertTrue(heads.getMessage().startsWith("estimator.num_heads: 3 does not divide the 128 channels"),
                heads.getMessage());
        UserError headChannels = assertThrows(UserError.class, () -> estimator.build(config(Map.of("base_channels", 16,
                "num_head_channels", 32, "attention_resolutions", List.of(32))), spec));
        assertTrue(headChannels.getMessage().startsWith("estimator.num_head_channels: 32 does not divide the 16 "
                + "channels of the attention layer at level 0"), headChannels.getMessage());
        UserError empty = assertThrows(UserError.class,
                () -> estimator.build(config(Map.of("channel_mult", List.of())), spec));
        assertTrue(empty.getMessage().startsWith("estimator.channel_mult: must be a non-empty list"), empty.getMessage());
    }
}
