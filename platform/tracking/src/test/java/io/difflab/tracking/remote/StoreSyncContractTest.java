package io.difflab.tracking.remote;

import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.LocalRun;
import io.difflab.tracking.store.LocalTracker;
import io.difflab.tracking.store.RunOwner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.difflab.tracking.remote.ContractFixtures.assertSameMetrics;
import static io.difflab.tracking.remote.ContractFixtures.remoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract tests of {@code difflab sync} (against {@link MlflowContractServer}: no MLflow server
 * can be installed on the build machines): a local store sent once, a second sync a no-op, a
 * lost sync state recovered from the server without duplicates, killed runs marked KILLED.
 */
class StoreSyncContractTest {

    @TempDir
    Path tmp;

    private FileStore store;
    private LocalRun finished;
    private LocalRun child;
    private LocalRun killed;

    private void recordRunsLocally() throws Exception {
        store = new FileStore(tmp.resolve("mlruns"));
        LocalTracker tracker = new LocalTracker(store, new Redactor(List.of()), tmp);
        finished = tracker.startRun("sweep", "parent", null, Map.of());
        finished.logParams(Map.of("guidance.scale", "3"));
        child = tracker.startRun("sweep", "child", finished.id(), Map.of());
        for (int step = 0; step < 50; step++) {
            child.logMetric("train.loss", 1.0 / (step + 1), step);
        }
        child.end(RunStatus.FINISHED);
        finished.end(RunStatus.FINISHED);
        killed = tracker.startRun("sweep", "killed", null, Map.of());
        killed.logMetric("train.loss", 0.9, 0);
        // as if its process had died: same pid, another start instant
        new RunOwner(ProcessHandle.current().pid(), 1L).write(killed.files());
    }

    private List<SyncOutcome> sync(MlflowContractServer server) throws Exception {
        try (MlflowServer remote = new MlflowServer(ServerCredentials.of(server.uri(), Map.of()), new Redactor(List.of()))) {
            List<SyncOutcome> outcomes = new ArrayList<>();
            new StoreSync(store, remote).syncAll(outcomes::add);
            return outcomes;
        }
    }

    @Test
    void syncSendsTheStoreOnceAndAgainSendsNothing() throws Exception {
        recordRunsLocally();
        try (MlflowContractServer server = MlflowContractServer.started()) {
            List<SyncOutcome> first = sync(server);
            assertEquals(3, first.size());
            assertTrue(first.stream().allMatch(SyncOutcome::complete));
            synchronized (server) {
                assertEquals(3, server.runs.size());
                assertEquals(Service.RunStatus.KILLED, remoteOf(server, killed.id()).status);
                assertEquals(remoteOf(server, finished.id()).id, remoteOf(server, child.id()).tags.get("mlflow.parentRunId"));
                assertEquals("3", remoteOf(server, finished.id()).params.get("guidance.scale"));
            }
            assertSameMetrics(server, store, child.id());
            assertEquals(RunStatus.KILLED, store.run(killed.id()).orElseThrow().meta().status());

            int requests;
            synchronized (server) {
                requests = server.requests.size();
            }
            List<SyncOutcome> second = sync(server);
            assertTrue(second.stream().noneMatch(SyncOutcome::sentAnything));
            synchronized (server) {
                assertEquals(requests, server.requests.size(), "a second sync sends no request at all");
                assertEquals(3, server.runs.size());
                assertEquals(List.of(), server.violations);
            }
        }
    }

    @Test
    void aChildWhoseParentAnotherProcessIsSendingIsSkippedAsBusyNotFailed() throws Exception {
        recordRunsLocally();
        try (MlflowContractServer server = MlflowContractServer.started()) {
            // the other sender: holds the parent's lock (in its own thread) and has not created it yet
            java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
            SyncLock held = other.submit(() -> SyncLock.tryAcquire(store.run(finished.id()).orElseThrow().files(),
                    server.uri())).get();
            org.junit.jupiter.api.Assertions.assertNotNull(held);
            try (MlflowServer remote = new MlflowServer(ServerCredentials.of(server.uri(), Map.of()), new Redactor(List.of()))) {
                SyncOutcome outcome = new RunReplicator(store, remote).sync(child.id());
                assertTrue(outcome.busy(), outcome.toString());
                assertTrue(!outcome.sentAnything());
            }
            synchronized (server) {
                assertEquals(0, server.runs.size(), "the child waits for its parent's sender");
            }
            other.submit(() -> {
                held.close();
                return null;
            }).get();
            other.shutdown();
            List<SyncOutcome> later = sync(server);
            assertTrue(later.stream().allMatch(SyncOutcome::complete), later.toString());
            assertEquals(remoteOf(server, finished.id()).id, remoteOf(server, child.id()).tags.get("mlflow.parentRunId"));
            assertSameMetrics(server, store, child.id());
        }
    }

    @Test
    void aLostSyncStateIsRecoveredFromTheServerWithoutDuplicates() throws Exception {
        recordRunsLocally();
        try (MlflowContractServer server = MlflowContractServer.started()) {
            sync(server);
            try (Stream<Path> states = Files.walk(store.root())) {
                for (Path p : states.filter(p -> p.toString().contains("/.difflab/sync")).sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            sync(server);
            assertSameMetrics(server, store, child.id());

            LocalRun resumed = new LocalTracker(store, new Redactor(List.of()), tmp).resumeRun(child.id());
            for (int step = 50; step < 55; step++) {
                resumed.logMetric("train.loss", 1.0 / (step + 1), step);
            }
            resumed.end(RunStatus.FINISHED);
            sync(server);
            assertSameMetrics(server, store, child.id());
            synchronized (server) {
                assertEquals(55, remoteOf(server, child.id()).history("train.loss").size());
                assertEquals(3, server.runs.size());
                assertEquals(List.of(), server.violations);
            }
        }
    }

    @Test
    void aServerThatIsDownFailsTheSyncAndKeepsEverything() throws Exception {
        recordRunsLocally();
        try (MlflowContractServer server = MlflowContractServer.notStarted()) {
            TrackingServerException e = org.junit.jupiter.api.Assertions.assertThrows(TrackingServerException.class,
                    () -> sync(server));
            assertTrue(e.retryable());
            assertTrue(e.getMessage().contains(server.uri()), e.getMessage());
            server.start();
            assertEquals(3, sync(server).size());
            assertSameMetrics(server, store, child.id());
        }
    }
}
