package io.difflab.plugins.glide;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.ConditionFields;
import io.difflab.api.ImageDataset;
import io.difflab.api.Model;
import io.difflab.api.Split;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.TrainingBatch;
import io.difflab.kit.condition.Conditions;
import io.difflab.kit.model.StandaloneAssembly;
import io.difflab.kit.nn.TextUNetEstimator;
import io.difflab.kit.sampling.SeededNoiseSource;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cascade assembles a base model at half the resolution, trained on the images' block means,
 * then the upsampler at the dataset's resolution, trained after it for its own steps; sampling asks
 * only for the prompts (the upsampler reads the base's samples).
 */
class CascadeTest {

    @TempDir
    static Path cache;

    @Test
    void theBaseTrainsOnBlockMeansAndTheUpsamplerAfterIt() {
        ImageDataset train = TinyGlide.shapes(cache, Split.TRAIN, 32);
        Map<String, Object> values = new LinkedHashMap<>(TinyGlide.settings());
        values.put("model.upsampler_steps", 7);
        Model model = StandaloneAssembly.assemble(new GlideCascadeFamily(), train, values, new TextUNetEstimator());
        List<TrainableNetwork> networks = model.networks();
        assertEquals(List.of("estimator", "upsampler"), networks.stream().map(TrainableNetwork::name).toList());
        assertTrue(networks.get(0).primary() && !networks.get(1).primary());
        assertEquals(7, networks.get(1).steps());
        assertEquals(new Shape(1, 3, 16, 16), networks.get(0).inputShapes()[0], "the base model at 16x16");
        assertEquals(new Shape(1, 3, 32, 32), networks.get(1).inputShapes()[0], "the upsampler at 32x32");
        assertEquals(Set.of(ConditionFields.CAPTION), model.sampleFields());
        assertFalse(new GlideCascadeFamily().samplingOptions().contains("upsampler_steps"));

        TrainableNetwork base = networks.get(0);
        try (NDManager m = NDManager.newBaseManager()) {
            base.block().initialize(m, DataType.FLOAT32, base.inputShapes());
            ParameterStore ps = new ParameterStore(m, false);
            float[] pixels = new float[2 * 3 * 32 * 32];
            for (int i = 0; i < 2; i++) {
                train.copyImage(i, pixels, i * 3 * 32 * 32);
            }
            NDArray images = m.create(pixels, train.shape().batch(2));
            Condition captions = Conditions.of(base.conditions(), train, IntStream.range(0, 2).toArray(), m);
            NDList[] seen = new NDList[1];
            NDArray loss = base.objective().loss(new TrainingBatch(m, images, captions, new SeededNoiseSource(2),
                    TrainedNetworks.NONE), in -> {
                        seen[0] = in;
                        return base.block().forward(ps, in, true);
                    }, new HashMap<>());
            assertTrue(Float.isFinite(loss.getFloat()));
            assertEquals(new Shape(2, 3, 16, 16), seen[0].get(0).getShape(), "x_t of the block means");
        }
    }
}
