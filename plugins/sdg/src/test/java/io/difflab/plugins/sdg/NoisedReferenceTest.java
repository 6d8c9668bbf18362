package io.difflab.plugins.sdg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.DiffusionSchedule;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.schedule.CosineSchedule;
import io.difflab.kit.train.StepSeeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** x'_t = √ᾱ_t·x'_0 + √(1 − ᾱ_t)·ε' at the given original t, ε' the run's seeded reference stream, draw by draw. */
class NoisedReferenceTest {

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void qSampleAtTheSameTimestepWithTheRunsSeededNoise() {
        DiffusionSchedule schedule = CosineSchedule.of(100);
        NDArray x0 = manager.randomUniform(-1, 1, new Shape(2, 1, 4, 4));
        NoisedReference noised = NoisedReference.seeded(schedule, 7);
        SeededNoiseSource stream = new SeededNoiseSource(StepSeeds.mix(7, NoisedReference.REFERENCE_STREAM));
        float[] x = x0.toFloatArray();
        for (int t : new int[] {0, 63, 99}) {
            float[] epsilon = stream.normal(manager, x0.getShape()).toFloatArray();
            double a = schedule.alphaCumprod(t);
            float[] expected = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                expected[i] = (float) (Math.sqrt(a) * x[i] + Math.sqrt(1 - a) * epsilon[i]);
            }
            assertArrayEquals(expected, noised.sample(x0, t).toFloatArray(), 1e-6f, "t = " + t);
        }
        assertThrows(IllegalArgumentException.class, () -> noised.sample(x0, 100));
    }
}
