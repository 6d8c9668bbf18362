package io.difflab.plugins.metrics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Config;
import io.difflab.api.MetricInput;
import io.difflab.api.RunContext;
import io.difflab.api.UserError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks every evaluator metric makes before it touches the evaluator. */
class EvaluatorMetricTest {

    private static final SyntheticImages TRAIN = SyntheticImages.create("bands/train", 64, 4, 1);
    private static final SyntheticImages TEST = SyntheticImages.create("bands/test", 64, 4, 2);
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void samplesOfAnotherShapeAreAUserError() {
        NDArray rgb = manager.zeros(new Shape(10, 3, 8, 8));
        UserError e = assertThrows(UserError.class, () -> new FrechetDistanceMetric(StderrProgress.FACTORY)
                .compute(input(rgb, new Config("metrics[0]", Map.of("floor", true)))));
        assertTrue(e.getMessage().contains("(N,1,8,8)") && e.getMessage().contains("(10, 3, 8, 8)"), e.getMessage());
    }

    @Test
    void tooFewSamplesForTheOptionsAreAUserError() {
        NDArray three = manager.zeros(new Shape(3, 1, 8, 8));
        UserError splits = assertThrows(UserError.class, () -> new InceptionScoreMetric(StderrProgress.FACTORY)
                .compute(input(three, new Config("metrics[1]", Map.of("splits", 10)))));
        assertTrue(splits.getMessage().contains("metrics[1].splits"), splits.getMessage());
        UserError k = assertThrows(UserError.class, () -> new PrecisionMetric(StderrProgress.FACTORY)
                .compute(input(three, new Config("metrics[2]", Map.of("k", 3)))));
        assertTrue(k.getMessage().contains("metrics[2].k"), k.getMessage());
        UserError fd = assertThrows(UserError.class, () -> new FrechetDistanceMetric(StderrProgress.FACTORY)
                .compute(input(manager.zeros(new Shape(1, 1, 8, 8)), new Config("metrics[0]", Map.of("floor", true)))));
        assertTrue(fd.getMessage().contains("sample.count"), fd.getMessage());
    }

    private static MetricInput input(NDArray samples, Config config) {
        return new MetricInput(samples, Map.of(), TRAIN, TEST, null, null, Map.of(), config,
                new RunContext("t", 0, Device.cpu(), Path.of(".")));
    }
}
