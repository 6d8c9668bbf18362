package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.difflab.kit.sampling.SeededNoiseSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConditionDropoutTest {

    @Test
    void theDroppedFractionOverManyBatchesIsPUncondWithinBinomialError() {
        for (double p : new double[] {0.1, 0.2, 0.5}) {
            ConditionDropout dropout = new ConditionDropout(p);
            SeededNoiseSource noise = new SeededNoiseSource(7);
            double dropped = 0;
            int batches = 400;
            int batchSize = 64;
            try (NDManager manager = NDManager.newBaseManager()) {
                for (int b = 0; b < batches; b++) {
                    try (NDManager step = manager.newSubManager()) {
                        dropped += dropout.mask(noise, step, batchSize).toType(DataType.FLOAT32, false).sum().getFloat();
                    }
                }
            }
            double n = (double) batches * batchSize;
            // four standard deviations of a Binomial(n, p) proportion
            assertEquals(p, dropped / n, 4 * Math.sqrt(p * (1 - p) / n), "p_uncond " + p);
        }
    }

    @Test
    void zeroKeepsEveryLabelAndOneDropsThemAll() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SeededNoiseSource noise = new SeededNoiseSource(1);
            NDArray labels = manager.create(new int[] {0, 3, 1, 2, 3, 0});
            NDArray kept = ConditionDropout.dropLabels(labels, new ConditionDropout(0).mask(noise, manager, 6), 4);
            assertArrayEquals(new int[] {0, 3, 1, 2, 3, 0}, kept.toIntArray());
            NDArray all = ConditionDropout.dropLabels(labels, new ConditionDropout(1).mask(noise, manager, 6), 4);
            assertArrayEquals(new int[] {4, 4, 4, 4, 4, 4}, all.toIntArray());
            NDArray some = ConditionDropout.dropLabels(labels,
                    manager.create(new boolean[] {true, false, false, true, false, false}), 4);
            assertArrayEquals(new int[] {4, 3, 1, 4, 3, 0}, some.toIntArray());
            assertEquals(DataType.INT32, some.getDataType());
        }
    }

    @Test
    void theProbabilityMustBeInTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> new ConditionDropout(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new ConditionDropout(1.5));
        assertThrows(IllegalArgumentException.class, () -> new ConditionDropout(Double.NaN));
    }
}
