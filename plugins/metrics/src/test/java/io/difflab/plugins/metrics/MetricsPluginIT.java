package io.difflab.plugins.metrics;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Config;
import io.difflab.api.Metric;
import io.difflab.api.MetricInput;
import io.difflab.api.Named;
import io.difflab.api.RunContext;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.api.tracking.Tracker;
import io.difflab.core.inject.Host;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built plugin file, loaded by the real host: every metric is found by name and made by the injector. */
class MetricsPluginIT {

    @TempDir
    Path plugins;

    @Test
    void theHostLoadsEveryMetricFromThePluginFile() throws Exception {
        Path file = Path.of("target", "metrics-" + System.getProperty("plugin.version", "0.1.0") + ".jar");
        assertTrue(Files.isRegularFile(file), file + " is built in the package phase");
        Files.copy(file, plugins.resolve(file.getFileName()));
        try (Host host = Host.start(List.of(plugins), List.of(binder -> binder.bind(Tracker.class).toInstance(NO_TRACKER)));
             NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            List<String> names = host.registry().all(Metric.class).stream().map(Named::name).toList();
            assertTrue(names.containsAll(List.of("bpd", "cond-accuracy", "cost", "fd", "is", "precision", "recall")),
                    "metrics found: " + names);
            Metric cost = host.registry().get(Metric.class, "cost");
            MetricInput input = new MetricInput(manager.zeros(new Shape(2, 1, 4, 4)), null, null, null, null, null,
                    Map.of("sample.nfe", 1000.0), Config.empty("metrics[0]"),
                    new RunContext("it", 0, Device.cpu(), plugins));
            assertEquals(Map.of("eval.nfe", 1000.0), cost.compute(input));
            assertEquals("k", host.registry().get(Metric.class, "precision").options().get(0).key());
        }
    }

    private static final Tracker NO_TRACKER = new Tracker() {
        @Override
        public TrackedRun startRun(String experiment, String runName, String parentRunId, Map<String, String> tags) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TrackedRun resumeRun(String runId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String location() {
            return "none";
        }
    };
}
