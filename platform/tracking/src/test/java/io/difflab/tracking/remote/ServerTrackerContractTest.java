package io.difflab.tracking.remote;

import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.StoredRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.difflab.tracking.remote.ContractFixtures.assertSameMetrics;
import static io.difflab.tracking.remote.ContractFixtures.remoteOf;
import static io.difflab.tracking.remote.ContractFixtures.serverTracker;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract tests of the server path: what the official client sends, decoded with the protobuf
 * messages of the client jar by {@link MlflowContractServer}. No MLflow server can be installed
 * on the build machines, so these check the requests against MLflow's REST contract instead.
 */
class ServerTrackerContractTest {

    @TempDir
    Path tmp;

    @Test
    void aRunArrivesCompleteAndWithinMlflowsLimits() throws Exception {
        String longSpec = "x".repeat(7000);
        Path grid = Files.writeString(tmp.resolve("grid.txt"), "a grid");
        String localId;
        long localStart;
        try (MlflowContractServer server = MlflowContractServer.started();
             ServerTracker tracker = serverTracker(tmp, server.uri(), Map.of())) {
            TrackedRun run = tracker.startRun("diffusion-lab", "quickstart", null, Map.of("seed", "0"));
            localId = run.id();
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < 250; i++) {
                params.put(String.format("spec.p%03d", i), Integer.toString(i));
            }
            params.put("spec.resolved", longSpec);
            run.logParams(params);
            for (int step = 0; step < 600; step++) {
                run.logMetrics(Map.of("train.loss", 1.0 / (step + 1), "train.lr", 2e-4), step);
            }
            run.logMetric("eval.fd", Double.NaN, 600);
            run.logArtifact(grid, "samples");
            run.end(RunStatus.FINISHED);

            ContractFixtures.awaitStatus(server, localId, Service.RunStatus.FINISHED);
            FileStore store = tracker.journal().store();
            StoredRun local = store.run(localId).orElseThrow();
            localStart = local.meta().startTime();
            synchronized (server) {
                assertEquals(List.of(), server.violations);
                FakeRun remote = remoteOf(server, localId);
                assertEquals("diffusion-lab", server.experiments.get(remote.experimentId));
                assertEquals("quickstart", remote.runName);
                assertEquals(localStart, remote.startTime);
                assertEquals(Service.RunStatus.FINISHED, remote.status);
                assertEquals(local.meta().endTime(), remote.endTime);
                assertEquals("quickstart", remote.tags.get("mlflow.runName"));
                assertEquals("difflab", remote.tags.get("mlflow.source.name"));
                assertEquals("0", remote.tags.get("seed"));
                assertEquals("spec.resolved", remote.tags.get("difflab.truncated_params"));
                assertEquals(251, remote.params.size());
                assertTrue(remote.params.get("spec.resolved").length() <= 6000);
                assertTrue(remote.params.get("spec.resolved").contains("[truncated by difflab"));
                assertArrayEquals("a grid".getBytes(StandardCharsets.UTF_8),
                        server.artifacts.get(remote.experimentId + "/" + remote.id + "/artifacts/samples/grid.txt"));

                Service.CreateRun create = (Service.CreateRun) server.requests("runs/create").get(0).body();
                assertEquals("quickstart", create.getRunName());
                assertTrue(create.getTagsList().stream().anyMatch(t -> t.getKey().equals("mlflow.runName")));
                List<MlflowContractServer.Request> batches = server.requests("runs/log-batch");
                int params0 = 0;
                int metrics0 = 0;
                for (MlflowContractServer.Request r : batches) {
                    Service.LogBatch b = (Service.LogBatch) r.body();
                    assertTrue(b.getParamsCount() <= 100 && b.getMetricsCount() <= 1000);
                    assertEquals(remote.id, b.getRunId());
                    params0 += b.getParamsCount();
                    metrics0 += b.getMetricsCount();
                }
                assertEquals(251, params0, "each param sent once");
                assertEquals(1201, metrics0, "each metric sent once");
                assertTrue(batches.size() >= 4, "params in 3 batches, metrics in 2 at least");
            }
            assertSameMetrics(server, store, localId);
        }
    }

    @Test
    void childRunsPointToTheirParentsRunOnTheServer() throws Exception {
        try (MlflowContractServer server = MlflowContractServer.started();
             ServerTracker tracker = serverTracker(tmp, server.uri(), Map.of())) {
            TrackedRun sweep = tracker.startRun("ablation", "guidance-sweep", null, Map.of());
            TrackedRun child = tracker.startRun("ablation", "scale-3", sweep.id(), Map.of());
            child.logMetric("eval.fd", 12.5, 10);
            child.end(RunStatus.FINISHED);
            sweep.end(RunStatus.FINISHED);
            ContractFixtures.awaitStatus(server, child.id(), Service.RunStatus.FINISHED);
            synchronized (server) {
                FakeRun parent = remoteOf(server, sweep.id());
                FakeRun remoteChild = remoteOf(server, child.id());
                assertEquals(parent.id, remoteChild.tags.get("mlflow.parentRunId"));
                assertNotEquals(sweep.id(), parent.id, "the server has its own ids");
                assertEquals(List.of(), server.violations);
            }
            StoredRun localChild = tracker.journal().store().run(child.id()).orElseThrow();
            assertEquals(sweep.id(), localChild.tags().get("mlflow.parentRunId"), "locally, the local id");
        }
    }

    @Test
    void failedResumedAndKilledStatusesReachTheServer() throws Exception {
        try (MlflowContractServer server = MlflowContractServer.started();
             ServerTracker tracker = serverTracker(tmp, server.uri(), Map.of())) {
            TrackedRun failed = tracker.startRun("e", "nan-loss", null, Map.of());
            failed.setTags(Map.of("difflab.failure", "loss is NaN at step 7"));
            failed.end(RunStatus.FAILED);
            ContractFixtures.awaitStatus(server, failed.id(), Service.RunStatus.FAILED);
            TrackedRun again = tracker.resumeRun(failed.id());
            ContractFixtures.awaitStatus(server, failed.id(), Service.RunStatus.RUNNING);
            again.end(RunStatus.KILLED);
            ContractFixtures.awaitStatus(server, failed.id(), Service.RunStatus.KILLED);
            synchronized (server) {
                FakeRun remote = remoteOf(server, failed.id());
                assertEquals("loss is NaN at step 7", remote.tags.get("difflab.failure"));
                assertEquals("1", remote.tags.get("difflab.resume_count"));
                assertEquals(1, server.requests("runs/create").size(), "resuming reuses the server's run");
                assertEquals(List.of(), server.violations);
            }
        }
    }
}
