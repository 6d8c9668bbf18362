package io.difflab.plugins.metrics;

import ai.djl.Device;
import com.google.inject.Module;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Config;
import io.difflab.api.Metric;
import io.difflab.api.MetricInput;
import io.difflab.api.Named;
import io.difflab.api.RunContext;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.api.tracking.Tracker;
import io.difflab.host.inject.Host;
import io.difflab.host.run.TrackerSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built plugin file, loaded by the real host: every metric is found and made by the injector. */
class MetricsPluginIT {

    @TempDir
    Path plugins;

    @Test
    void theHostLoadsEveryMetricFromThePluginFile() throws Exception {
        Path file = Path.of("target", "metrics-" + System.getProperty("plugin.version") + ".jar");
        assertTrue(Files.isRegularFile(file), file + " is built in the package phase");
        Files.copy(file, plugins.resolve(file.getFileName()));
        Module tracking = binder -> {
            binder.bind(Tracker.class).toInstance(NO_TRACKER);
            binder.bind(TrackerSource.class).toInstance(uri -> NO_TRACKER);
        };
        try (Host host = Host.start(List.of(plugins), List.of(tracking));
             NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            // the classpath holds these classes too (as the host's own extensions): ask PF4J for the plugin's
            assertEquals(org.pf4j.PluginState.STARTED, host.plugins().getPlugin("metrics").getPluginState());
            List<Metric> fromPlugin = host.plugins().getExtensions(Metric.class, "metrics");
            List<String> names = fromPlugin.stream().map(Named::name).sorted().toList();
            assertEquals(List.of("bpd", "cond-accuracy", "cost", "fd", "is", "precision", "recall"), names);
            Metric cost = fromPlugin.stream().filter(m -> m.name().equals("cost")).findFirst().orElseThrow();
            Metric precision = fromPlugin.stream().filter(m -> m.name().equals("precision")).findFirst().orElseThrow();
            MetricInput input = new MetricInput(manager.zeros(new Shape(2, 1, 4, 4)), Map.of(), null, null, null, null,
                    Map.of("sample.nfe", 1000.0), Config.empty("metrics[0]"),
                    new RunContext("it", 0, Device.cpu(), plugins));
            assertEquals(Map.of("eval.nfe", 1000.0), cost.compute(input));
            assertEquals("k", precision.options().get(0).key());
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
