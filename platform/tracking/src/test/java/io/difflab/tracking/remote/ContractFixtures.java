package io.difflab.tracking.remote;

import io.difflab.api.tracking.Tracker;
import io.difflab.tracking.TrackerFactory;
import io.difflab.tracking.TrackingSettings;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.MetricPoint;
import io.difflab.tracking.store.StoredRun;
import org.mlflow.api.proto.Service;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared set-up of the contract tests: fast sender pacing, and comparisons local vs server. */
public final class ContractFixtures {

    /** Polls every 20 ms, backs off 20 ms to 200 ms, waits at most 5 s when a run ends. */
    static final SenderSettings FAST = new SenderSettings(Duration.ofMillis(20), Duration.ofMillis(20),
            Duration.ofMillis(200), Duration.ofSeconds(5));

    private ContractFixtures() {
    }

    static TrackingSettings settings(Path tmp, String uri, Map<String, String> env) {
        return new TrackingSettings(uri, tmp.resolve("mlruns"), env, tmp, FAST);
    }

    static ServerTracker serverTracker(Path tmp, String uri, Map<String, String> env) {
        Tracker t = new TrackerFactory(settings(tmp, uri, env)).create();
        return (ServerTracker) t;
    }

    /** Waits (at most 20 s) for {@code condition}, polling every 10 ms. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    /** Waits for the server's run of {@code localRunId} to reach {@code status}. */
    static void awaitStatus(MlflowContractServer server, String localRunId, Service.RunStatus status)
            throws InterruptedException {
        await(() -> {
            synchronized (server) {
                return server.runs.values().stream().anyMatch(r ->
                        localRunId.equals(r.tags.get("difflab.local_run_id")) && r.status == status);
            }
        }, "run " + localRunId + " " + status + " on the server");
    }

    /** The server run made for a local run. */
    static FakeRun remoteOf(MlflowContractServer server, String localRunId) {
        synchronized (server) {
            List<FakeRun> found = server.runs.values().stream()
                    .filter(r -> localRunId.equals(r.tags.get("difflab.local_run_id"))).toList();
            assertEquals(1, found.size(), "server runs for local run " + localRunId);
            return found.get(0);
        }
    }

    /** Every metric point of the local run is on the server once, in the same order. */
    public static void assertSameMetrics(MlflowContractServer server, FileStore store, String localRunId)
            throws IOException {
        StoredRun local = store.run(localRunId).orElseThrow();
        int total = 0;
        synchronized (server) {
            FakeRun remote = remoteOf(server, localRunId);
            for (String key : local.metricKeys()) {
                List<MetricPoint> expected = local.history(key);
                List<Service.Metric> actual = remote.history(key);
                assertEquals(expected.size(), actual.size(), "points of " + key);
                for (int i = 0; i < expected.size(); i++) {
                    MetricPoint p = expected.get(i);
                    Service.Metric m = actual.get(i);
                    assertEquals(p.timestamp(), m.getTimestamp(), key + "[" + i + "].timestamp");
                    assertEquals(p.step(), m.getStep(), key + "[" + i + "].step");
                    assertEquals(p.value(), m.getValue(), key + "[" + i + "].value");
                }
                total += expected.size();
            }
            assertEquals(total, remote.metrics.size(), "no metric the local run does not have");
        }
    }
}
