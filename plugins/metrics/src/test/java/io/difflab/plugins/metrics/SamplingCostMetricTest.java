package io.difflab.plugins.metrics;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Config;
import io.difflab.api.MetricInput;
import io.difflab.api.RunContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SamplingCostMetricTest {

    @Test
    void perSampleCostsFromTheSamplingFacts() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Map<String, Double> facts = Map.of("sample.nfe", 100.0, "sample.grad_evals", 50.0,
                    "sample.seconds", 2.0, "sample.peak_bytes", 3.0 * 1024 * 1024);
            MetricInput input = new MetricInput(manager.zeros(new Shape(16, 1, 8, 8)), Map.of(), null, null, null, null,
                    facts, Config.empty("metrics[0]"), new RunContext("t", 0, Device.cpu(), Path.of(".")));
            assertEquals(Map.of("eval.nfe", 100.0, "eval.grad_evals", 50.0, "eval.seconds_per_sample", 2.0,
                    "eval.peak_mb", 3.0), new SamplingCostMetric().compute(input));
        }
    }

    @Test
    void factsThatWereNotRecordedAreLeftOut() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            MetricInput input = new MetricInput(manager.zeros(new Shape(4, 1, 8, 8)), Map.of(), null, null, null, null,
                    Map.of("sample.nfe", 20.0), Config.empty("metrics[0]"),
                    new RunContext("t", 0, Device.cpu(), Path.of(".")));
            assertEquals(Map.of("eval.nfe", 20.0), new SamplingCostMetric().compute(input));
        }
    }
}
