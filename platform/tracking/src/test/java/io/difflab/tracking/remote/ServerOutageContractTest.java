package io.difflab.tracking.remote;

import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.difflab.tracking.remote.ContractFixtures.assertSameMetrics;
import static io.difflab.tracking.remote.ContractFixtures.awaitStatus;
import static io.difflab.tracking.remote.ContractFixtures.serverTracker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract tests of outages (against {@link MlflowContractServer}, since no MLflow server can
 * be installed on the build machines): training goes on while the server is down or failing,
 * and once it answers again it has every metric exactly once.
 */
class ServerOutageContractTest {

    @TempDir
    Path tmp;

    @Test
    void aServerDownThenUpGetsEveryMetricOnce() throws Exception {
        try (MlflowContractServer server = MlflowContractServer.notStarted();
             ServerTracker tracker = serverTracker(tmp, server.uri(), Map.of())) {
            TrackedRun run = tracker.startRun("diffusion-lab", "offline", null, Map.of());
            run.logParams(Map.of("seed", "0"));
            for (int step = 0; step < 300; step++) {
                run.logMetric("train.loss", 1.0 / (step + 1), step);
            }
            long before = System.nanoTime();
            run.end(RunStatus.FINISHED);
            Duration ending = Duration.ofNanos(System.nanoTime() - before);
            assertTrue(ending.compareTo(ContractFixtures.FAST.flushTimeout()) < 0,
                    "ending gave up after a failed attempt instead of waiting out the timeout: " + ending);
            synchronized (server) {
                assertTrue(server.requests.isEmpty());
            }

            server.start();
            awaitStatus(server, run.id(), Service.RunStatus.FINISHED);
            assertSameMetrics(server, tracker.journal().store(), run.id());
            synchronized (server) {
                assertEquals(1, server.runs.size());
                assertEquals(List.of(), server.violations);
            }
        }
    }

    @Test
    void failuresInTheMiddleOfTrainingLoseAndDuplicateNothing() throws Exception {
        try (MlflowContractServer server = MlflowContractServer.started();
             ServerTracker tracker = serverTracker(tmp, server.uri(), Map.of())) {
            TrackedRun run = tracker.startRun("diffusion-lab", "flaky", null, Map.of());
            for (int step = 0; step < 400; step++) {
                run.logMetrics(Map.of("train.loss", 1.0 / (step + 1), "train.grad_norm", step * 0.5), step);
                if (step % 100 == 50) {
                    // more 503s in a row than the official client retries by itself
                    server.unavailableFor.set(7);
                }
                if (step % 25 == 0) {
                    Thread.sleep(15);
                }
            }
            run.end(RunStatus.FINISHED);
            awaitStatus(server, run.id(), Service.RunStatus.FINISHED);
            assertSameMetrics(server, tracker.journal().store(), run.id());
            synchronized (server) {
                assertTrue(server.refused > 0, "some requests were refused");
                assertEquals(1, server.runs.size());
                assertEquals(List.of(), server.violations);
            }
        }
    }
}
