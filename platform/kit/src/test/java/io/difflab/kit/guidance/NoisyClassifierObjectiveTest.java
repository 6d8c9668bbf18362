package io.difflab.kit.guidance;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.difflab.api.TrainingBatch;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.CosineSchedule;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The noise-aware classifier's cross-entropy on x_t ~ q(x_t | x_0) at uniform t. */
class NoisyClassifierObjectiveTest {

    private final NoisyClassifierObjective objective = new NoisyClassifierObjective(
            new GaussianDiffusion(CosineSchedule.of(1000)));

    @Test
    void uniformLogitsCostLogKAndTheNetworkSeesXtAtATimestep() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray images = m.zeros(new Shape(6, 1, 4, 4));
            NDArray labels = m.create(new int[] {0, 1, 2, 3, 4, 0});
            Map<String, NDArray> extra = new HashMap<>();
            NDList[] seen = new NDList[1];
            NDArray loss = objective.loss(new TrainingBatch(m, images, labels, new SeededNoiseSource(1)), in -> {
                seen[0] = in;
                return new NDList(m.zeros(new Shape(6, 5)));
            }, extra);
            assertEquals(Math.log(5), loss.getFloat(), 1e-6);
            assertEquals(new Shape(6, 1, 4, 4), seen[0].get(0).getShape());
            assertEquals(DataType.FLOAT32, seen[0].get(1).getDataType());
            assertTrue(seen[0].get(0).abs().sum().getFloat() > 0, "x_t of a zero image is noise");
            assertTrue(extra.containsKey("train.accuracy"));
        }
    }

    @Test
    void theLossTrainsARealClassifierAndNeedsLabels() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier c = new TinyClassifier(2);
            c.initialize(m, DataType.FLOAT32, new Shape(4, 1, 4, 4), new Shape(4));
            ParameterStore ps = new ParameterStore(m, false);
            SeededNoiseSource noise = new SeededNoiseSource(2);
            NDArray images = noise.uniform(m, 64).mul(2).sub(1).reshape(4, 1, 4, 4);
            NDArray labels = m.create(new int[] {0, 1, 1, 0});
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.zeroGradients();
                NDArray loss = objective.loss(new TrainingBatch(m, images, labels, noise),
                        in -> c.forward(ps, in, true), new HashMap<>());
                assertTrue(Float.isFinite(loss.getFloat()) && loss.getFloat() > 0);
                collector.backward(loss);
            }
            double reached = 0;
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : c.getParameters()) {
                reached += p.getValue().getArray().getGradient().abs().sum().getFloat();
            }
            assertTrue(reached > 0, "the loss reaches the weights");
            assertThrows(IllegalStateException.class, () -> objective.loss(
                    new TrainingBatch(m, images, null, noise), in -> in, new HashMap<>()));
        }
    }
}
