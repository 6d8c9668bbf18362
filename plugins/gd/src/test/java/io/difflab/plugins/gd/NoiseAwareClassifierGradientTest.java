package io.difflab.plugins.gd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.difflab.api.ImageShape;
import io.difflab.kit.guidance.ClassifierGradient;
import io.difflab.kit.sampling.SeededNoiseSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ∇_{x_t} log p(y | x_t, t) through the real ADM encoder classifier (float32, convolutions,
 * attention, adaptive group norm) against central finite differences along random directions.
 */
class NoiseAwareClassifierGradientTest {

    @Test
    void theInputGradientMatchesDirectionalFiniteDifferences() {
        ImageShape shape = new ImageShape(1, 12, 12);
        try (NDManager m = NDManager.newBaseManager()) {
            NoiseAwareClassifier c = NoiseAwareClassifier.builder().setImageShape(shape).setNumClasses(3)
                    .optBaseChannels(8).optChannelMult(List.of(1, 2)).optAttentionResolutions(List.of(6))
                    .optNumHeadChannels(8).build();
            c.initialize(m, DataType.FLOAT32, shape.batch(1), new Shape(1));
            SeededNoiseSource noise = new SeededNoiseSource(11);
            // the zero-initialised head would make every gradient 0: give it random weights
            for (Pair<String, Parameter> p : c.getParameters()) {
                if (p.getKey().contains("head")) {
                    NDArray w = p.getValue().getArray();
                    w.set(noise.normal(m, w.getShape()).toFloatArray());
                }
            }
            ClassifierGradient grad = new ClassifierGradient(c, new ParameterStore(m, false));
            NDArray x = noise.normal(m, shape.batch(2));
            NDArray labels = m.create(new int[] {2, 0});
            int timestep = 250;
            NDArray g = grad.gradient(x, timestep, labels);
            float h = 1e-2f;
            for (int k = 0; k < 4; k++) {
                NDArray d = noise.normal(m, shape.batch(2));
                d = d.div(d.norm());
                double fd = (grad.logProb(x.add(d.mul(h)), timestep, labels).sum().getFloat()
                        - grad.logProb(x.sub(d.mul(h)), timestep, labels).sum().getFloat()) / (2 * h);
                double analytic = g.mul(d).sum().getFloat();
                assertEquals(fd, analytic, 2e-3 + 2e-2 * Math.abs(fd), "direction " + k);
            }
        }
    }
}
