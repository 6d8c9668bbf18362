package io.difflab.plugins.glide;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ConditionFields;
import io.difflab.api.ConditionKind;
import io.difflab.api.ImageDataset;
import io.difflab.api.Split;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.TrainingBatch;
import io.difflab.api.UserError;
import io.difflab.kit.condition.Conditions;
import io.difflab.kit.model.DiffusionModel;
import io.difflab.kit.model.StandaloneAssembly;
import io.difflab.kit.nn.TextUNetEstimator;
import io.difflab.kit.sampling.SeededNoiseSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upsampler on real shapes-captions scenes: its estimator reads the caption and a low-resolution
 * image; training encodes only the caption from the dataset and derives the low-resolution image
 * (f x f block means) from each training image; sampling asks for reference images.
 */
class UpsamplerTest {

    @TempDir
    static Path cache;

    private static ImageDataset train;

    @BeforeAll
    static void load() {
        train = TinyGlide.shapes(cache, Split.TRAIN, 64);
    }

    private static DiffusionModel assemble(Map<String, Object> more) {
        Map<String, Object> values = new LinkedHashMap<>(TinyGlide.settings());
        values.putAll(more);
        return (DiffusionModel) StandaloneAssembly.assemble(new GlideUpsamplerFamily(), train, values,
                new TextUNetEstimator());
    }

    @Test
    void theLowResolutionImageIsDerivedInTrainingAndAskedForInSampling() {
        DiffusionModel model = assemble(Map.of("model.factor", 4));
        var conditions = model.estimator().spec().conditions();
        assertEquals(List.of("caption", "low_res"), conditions.stream().map(c -> c.name()).toList());
        assertEquals(ConditionKind.LOW_RES_IMAGE, conditions.get(1).kind());
        assertEquals(new Shape(3, 8, 8), conditions.get(1).itemShapes().get(0));
        TrainableNetwork net = model.networks().get(0);
        assertEquals(List.of("caption"), net.conditions().stream().map(ConditionEncoder::name).toList(),
                "training encodes the caption only");
        assertEquals(Set.of(ConditionFields.CAPTION, ConditionFields.REFERENCE_IMAGE), model.sampleFields());

        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            net.block().initialize(m, DataType.FLOAT32, net.inputShapes());
            ParameterStore ps = new ParameterStore(m, false);
            float[] pixels = new float[4 * 3 * 32 * 32];
            for (int i = 0; i < 4; i++) {
                train.copyImage(i, pixels, i * 3 * 32 * 32);
            }
            NDArray images = m.create(pixels, train.shape().batch(4));
            Condition captions = Conditions.of(net.conditions(), train, IntStream.range(0, 4).toArray(), m);
            NDList[] seen = new NDList[1];
            Map<String, NDArray> extra = new HashMap<>();
            NDArray loss = net.objective().loss(new TrainingBatch(m, images, captions, new SeededNoiseSource(1),
                    TrainedNetworks.NONE), in -> {
                        seen[0] = in;
                        return net.block().forward(ps, in, true);
                    }, extra);
            assertTrue(Float.isFinite(loss.getFloat()) && loss.getFloat() > 0, "L_hybrid " + loss.getFloat());
            assertTrue(extra.containsKey("train.vlb"));
            assertEquals(5, seen[0].size(), "x_t, t, ids, mask, low-resolution image");
            NDArray lowRes = seen[0].get(4);
            assertEquals(new Shape(4, 3, 8, 8), lowRes.getShape());
            // the block mean of pixels (0..3, 0..3) of image 0, channel 0
            double mean = 0;
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    mean += pixels[r * 32 + c] / 16.0;
                }
            }
            assertEquals(mean, lowRes.getFloat(0, 0, 0, 0), 1e-5);
            assertEquals(new Shape(4, 6, 32, 32), net.block().forward(ps, seen[0], false).singletonOrThrow()
                    .getShape(), "ε and v at full resolution");

            LowResolution encoder = new LowResolution(train.shape(), 4);
            float[] one = new float[3 * 32 * 32];
            System.arraycopy(pixels, 0, one, 0, one.length);
            NDArray encoded = encoder.encode(List.of(one), m).singletonOrThrow();
            assertEquals(0, encoded.sub(lowRes.get("0:1")).abs().max().getFloat(), 1e-6,
                    "sampling encodes a reference image as training derives it");
        }
    }

    @Test
    void aFactorThatDoesNotDivideTheSideIsRefused() {
        UserError e = assertThrows(UserError.class, () -> assemble(Map.of("model.factor", 3)));
        assertTrue(e.getMessage().startsWith("model.factor: the factor 3 does not divide"), e.getMessage());
    }
}
