package io.difflab.tracking.remote;

import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.TrackerFactory;
import io.difflab.tracking.TrackingSettings;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.MetricPoint;
import io.difflab.tracking.store.StoredRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.difflab.tracking.remote.ContractFixtures.assertSameMetrics;
import static io.difflab.tracking.remote.ContractFixtures.remoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract tests of a tracking server that fails mid-run in the ways a client cannot see through
 * (against {@link MlflowContractServer}; no MLflow server can be installed on the build machines):
 * it stores a batch and then hangs past the client's timeout, it stores a batch and drops the
 * connection without an answer, it dies and comes back. After the run and a {@code difflab sync},
 * the server holds every point exactly once, as a file-store server (which keeps duplicates) would
 * show it.
 */
class ServerFaultsContractTest {

    /** The client gives up on an answer after 300 ms; the hung server answers after 1 s. */
    private static final SenderSettings IMPATIENT = new SenderSettings(Duration.ofMillis(20), Duration.ofMillis(20),
            Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMillis(300));

    @TempDir
    Path tmp;

    private ServerTracker tracker(MlflowContractServer server) {
        TrackingSettings settings = new TrackingSettings(server.uri(), tmp.resolve("mlruns"), Map.of(), tmp, IMPATIENT);
        return (ServerTracker) new TrackerFactory(settings).create();
    }

    /** Logs {@code steps} steps of two metrics, calling {@code fault} at some of them, then ends the run. */
    private static TrackedRun train(ServerTracker tracker, int steps, StepFault fault) throws Exception {
        TrackedRun run = tracker.startRun("diffusion-lab", "faults", null, Map.of());
        run.logParams(Map.of("seed", "0"));
        for (int step = 1; step <= steps; step++) {
            run.logMetrics(Map.of("train.loss", 1.0 / step, "train.grad_norm", step * 0.5), step);
            fault.at(step);
            Thread.sleep(3);
        }
        run.end(RunStatus.FINISHED);
        return run;
    }

    @FunctionalInterface
    private interface StepFault {
        void at(int step) throws Exception;
    }

    /** Faults at these steps; training waits at each until the server has received it, so each fails a batch of its own. */
    private static StepFault faults(MlflowContractServer server, String kind, long... steps) {
        for (long step : steps) {
            server.faultAtStep.put(step, kind);
        }
        return step -> {
            if (java.util.Arrays.stream(steps).anyMatch(s -> s == step)) {
                ContractFixtures.await(() -> !server.faultAtStep.containsKey((long) step), "the batch of step " + step);
            }
        };
    }

    /** {@code difflab sync} as the command does it: every run of the store, once. */
    private static List<SyncOutcome> sync(MlflowContractServer server, FileStore store) throws Exception {
        try (MlflowServer remote = new MlflowServer(ServerCredentials.of(server.uri(), Map.of()),
                new Redactor(List.of()), Duration.ofSeconds(5))) {
            List<SyncOutcome> outcomes = new ArrayList<>();
            new StoreSync(store, remote).syncAll(outcomes::add);
            return outcomes;
        }
    }

    private static void assertEveryStepOnce(MlflowContractServer server, FileStore store, String runId, int steps)
            throws Exception {
        assertSameMetrics(server, store, runId);
        StoredRun local = store.run(runId).orElseThrow();
        synchronized (server) {
            FakeRun remote = remoteOf(server, runId);
            for (String key : List.of("train.loss", "train.grad_norm")) {
                Set<Long> seen = new HashSet<>();
                for (Service.Metric m : remote.history(key)) {
                    assertTrue(seen.add(m.getStep()), key + " at step " + m.getStep() + " twice on the server");
                }
                assertEquals(steps, seen.size(), key + ": every step on the server");
                assertEquals(steps, local.history(key).stream().map(MetricPoint::step).distinct().count());
            }
            assertEquals(Service.RunStatus.FINISHED, remote.status);
            assertEquals(List.of(), server.violations);
        }
    }

    @Test
    void aServerThatStoresABatchThenHangsPastTheTimeoutGetsEveryPointOnce() throws Exception {
        try (MlflowContractServer server = MlflowContractServer.started()) {
            server.hangMillis = 1000;
            TrackedRun run;
            try (ServerTracker tracker = tracker(server)) {
                // the last one is the run's last batch: answered after the run stopped waiting
                run = train(tracker, 120, faults(server, "hang", 30, 120));
            }
            sync(server, new FileStore(tmp.resolve("mlruns")));
            synchronized (server) {
                assertEquals(2, server.unanswered, "both batches were stored and answered too late");
            }
            assertEveryStepOnce(server, new FileStore(tmp.resolve("mlruns")), run.id(), 120);
        }
    }

    @Test
    void aServerThatDropsTheConnectionAfterStoringABatchGetsEveryPointOnce() throws Exception {
        try (MlflowContractServer server = MlflowContractServer.started()) {
            TrackedRun run;
            try (ServerTracker tracker = tracker(server)) {
                run = train(tracker, 120, faults(server, "drop", 10, 50, 90, 120));
            }
            sync(server, new FileStore(tmp.resolve("mlruns")));
            synchronized (server) {
                assertEquals(4, server.unanswered, "batches stored without an answer");
            }
            assertEveryStepOnce(server, new FileStore(tmp.resolve("mlruns")), run.id(), 120);
        }
    }

    @Test
    void aServerThatDiesMidRunAndComesBackGetsEveryPointOnceAfterSync() throws Exception {
        MlflowContractServer server = MlflowContractServer.started();
        try {
            // the last batch it takes before it dies is stored and unanswered
            StepFault dropAt40 = faults(server, "drop", 40);
            TrackedRun run;
            try (ServerTracker tracker = tracker(server)) {
                run = train(tracker, 120, step -> {
                    dropAt40.at(step);
                    if (step == 40) {
                        server.close(); // dies: connections refused until it is back
                    }
                });
            }
            server.start(); // back after the run ended: `difflab sync` sends the rest
            List<SyncOutcome> outcomes = sync(server, new FileStore(tmp.resolve("mlruns")));
            assertEquals(1, outcomes.size());
            assertTrue(outcomes.get(0).complete(), outcomes.toString());
            assertEveryStepOnce(server, new FileStore(tmp.resolve("mlruns")), run.id(), 120);
            assertEquals(0, sync(server, new FileStore(tmp.resolve("mlruns"))).stream()
                    .filter(SyncOutcome::sentAnything).count(), "a second sync sends nothing");
        } finally {
            server.close();
        }
    }
}
