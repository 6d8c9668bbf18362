package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.Condition;
import io.difflab.api.ConditionKind;
import io.difflab.kit.sampling.SeededNoiseSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConditionDropoutTest {

    @Test
    void theDroppedFractionOverManyBatchesIsPUncondWithinBinomialError() {
        for (double p : new double[] {0.1, 0.2, 0.5}) {
            SeededNoiseSource noise = new SeededNoiseSource(7);
            double dropped = 0;
            int batches = 400;
            int batchSize = 64;
            try (NDManager manager = NDManager.newBaseManager()) {
                for (int b = 0; b < batches; b++) {
                    try (NDManager step = manager.newSubManager()) {
                        dropped += ConditionDropout.mask(noise, step, batchSize, p).toType(DataType.FLOAT32, false)
                                .sum().getFloat();
                    }
                }
            }
            double n = (double) batches * batchSize;
            // four standard deviations of a Binomial(n, p) proportion
            assertEquals(p, dropped / n, 4 * Math.sqrt(p * (1 - p) / n), "p_uncond " + p);
        }
    }

    @Test
    void zeroKeepsEveryLabelAndOneDropsThemAllToTheNullLabel() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Condition labels = Condition.labels(manager.create(new int[] {0, 3, 1, 2, 3, 0}));
            Map<String, NDArray> extra = new HashMap<>();
            Condition kept = ConditionDropout.of(Condition.LABEL, 0).apply(labels, new SeededNoiseSource(1), manager,
                    extra);
            assertArrayEquals(new int[] {0, 3, 1, 2, 3, 0}, kept.labels().toIntArray());
            assertEquals(0f, extra.get("train.dropped").getFloat());
            Condition all = ConditionDropout.of(Condition.LABEL, 1).apply(labels, new SeededNoiseSource(1), manager,
                    extra);
            assertArrayEquals(new int[] {-1, -1, -1, -1, -1, -1}, all.labels().toIntArray());
            assertEquals(1f, extra.get("train.dropped").getFloat());
            Condition some = labels.dropRows(Condition.LABEL,
                    manager.create(new boolean[] {true, false, false, true, false, false}));
            assertArrayEquals(new int[] {-1, 3, 1, -1, 3, 0}, some.labels().toIntArray());
            assertEquals(DataType.INT32, some.labels().getDataType());
        }
    }

    /** unCLIP's decoder: the embedding and the caption dropped independently, each row to its own kind's ∅. */
    @Test
    void eachConditionIsDroppedByItsOwnDrawsToItsKindsNull() {
        try (NDManager manager = NDManager.newBaseManager()) {
            int n = 4000;
            NDArray embedding = manager.ones(new ai.djl.ndarray.types.Shape(n, 3));
            NDArray ids = manager.ones(new ai.djl.ndarray.types.Shape(n, 5), DataType.INT32);
            NDArray mask = manager.ones(new ai.djl.ndarray.types.Shape(n, 5), DataType.INT32);
            Map<String, Condition.Entry> entries = new LinkedHashMap<>();
            entries.put("embedding", new Condition.Entry(ConditionKind.EMBEDDING, new NDList(embedding)));
            entries.put("caption", new Condition.Entry(ConditionKind.TOKENS, new NDList(ids, mask)));
            Map<String, Double> p = new LinkedHashMap<>();
            p.put("embedding", 0.1);
            p.put("caption", 0.5);
            Map<String, NDArray> extra = new HashMap<>();
            Condition dropped = new ConditionDropout(p).apply(Condition.of(entries), new SeededNoiseSource(3), manager,
                    extra);
            // a dropped row is all zeros (∅ of both kinds), a kept row all ones
            NDArray embDropped = dropped.get("embedding").array().sum(new int[] {1}).eq(0);
            NDArray capDropped = dropped.get("caption").arrays().get(0).sum(new int[] {1}).eq(0);
            NDArray maskDropped = dropped.get("caption").arrays().get(1).sum(new int[] {1}).eq(0);
            assertArrayEquals(capDropped.toBooleanArray(), maskDropped.toBooleanArray(), "ids and mask drop together");
            double fe = embDropped.toType(DataType.FLOAT32, false).mean().getFloat();
            double fc = capDropped.toType(DataType.FLOAT32, false).mean().getFloat();
            double both = embDropped.logicalAnd(capDropped).toType(DataType.FLOAT32, false).mean().getFloat();
            assertEquals(0.1, fe, 4 * Math.sqrt(0.09 / n));
            assertEquals(0.5, fc, 4 * Math.sqrt(0.25 / n));
            // independent draws: P(both) = 0.1 · 0.5
            assertEquals(0.05, both, 4 * Math.sqrt(0.05 * 0.95 / n));
            assertEquals(fe, extra.get("train.dropped.embedding").getFloat(), 1e-6);
            assertEquals(fc, extra.get("train.dropped.caption").getFloat(), 1e-6);
        }
    }

    @Test
    void theProbabilityMustBeInTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> ConditionDropout.of("label", -0.1));
        assertThrows(IllegalArgumentException.class, () -> ConditionDropout.of("label", 1.5));
        assertThrows(IllegalArgumentException.class, () -> ConditionDropout.of("label", Double.NaN));
    }
}
