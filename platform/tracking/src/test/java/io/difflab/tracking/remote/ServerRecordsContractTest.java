package io.difflab.tracking.remote;

import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.catalog.RunSummary;
import io.difflab.tracking.catalog.ServerCatalog;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.LocalRun;
import io.difflab.tracking.store.LocalTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a server holds and says about runs sent to it (contract tests against
 * {@link MlflowContractServer}: no MLflow server can be installed on the build machines): the ids
 * difflab printed while running (the local store's) find the server's runs, tags naming other runs
 * hold the server's ids, an artifact rewritten with the same size is sent again, the first sync
 * counts the tags it sent, a 404 is asked once, and server messages hold no credentials and no
 * Java class names.
 */
class ServerRecordsContractTest {

    @TempDir
    Path tmp;

    private final FileStore store() {
        return new FileStore(tmp.resolve("mlruns"));
    }

    private List<SyncOutcome> sync(MlflowContractServer server, Map<String, String> env) throws Exception {
        try (MlflowServer remote = new MlflowServer(ServerCredentials.of(server.uri(), env),
                Redactor.fromEnvironment(env, server.uri()))) {
            List<SyncOutcome> outcomes = new ArrayList<>();
            new StoreSync(store(), remote).syncAll(outcomes::add);
            return outcomes;
        }
    }

    @Test
    void localIdsFindTheServersRunsAndTagsNamingRunsHoldServerIds() throws Exception {
        LocalTracker tracker = new LocalTracker(store(), new Redactor(List.of()), tmp);
        LocalRun trainer = tracker.startRun("sweep", "trainer", null, Map.of());
        trainer.end(RunStatus.FINISHED);
        LocalRun reuser = tracker.startRun("sweep", "reuser", null, Map.of(RemoteTags.TRAINED_IN_RUN, trainer.id()));
        reuser.setTags(Map.of(RunSummary.PARAM_TAG_PREFIX + "train.steps", "40"));
        reuser.end(RunStatus.FINISHED);
        try (MlflowContractServer server = MlflowContractServer.started()) {
            List<SyncOutcome> outcomes = sync(server, Map.of());
            assertTrue(outcomes.stream().allMatch(o -> o.tags() > 0), "the first sync counts the tags it sent: " + outcomes);
            String trainerOnServer = ContractFixtures.remoteOf(server, trainer.id()).id;
            synchronized (server) {
                assertEquals(trainerOnServer, ContractFixtures.remoteOf(server, reuser.id()).tags.get(RemoteTags.TRAINED_IN_RUN));
            }
            try (MlflowServer remote = new MlflowServer(ServerCredentials.of(server.uri(), Map.of()),
                    new Redactor(List.of()))) {
                ServerCatalog catalog = new ServerCatalog(remote);
                RunSummary byLocalId = catalog.run(reuser.id());
                assertEquals(ContractFixtures.remoteOf(server, reuser.id()).id, byLocalId.runId());
                assertEquals("40", byLocalId.params().get("train.steps"), "the value a resume set, in force");
                assertThrows(io.difflab.api.UserError.class, () -> catalog.run("0123456789abcdef0123456789abcdef"));
            }
        }
    }

    @Test
    void anArtifactRewrittenWithTheSameSizeIsSentAgain() throws Exception {
        LocalTracker tracker = new LocalTracker(store(), new Redactor(List.of()), tmp);
        LocalRun run = tracker.startRun("e", "resumed", null, Map.of());
        Path spec = Files.writeString(tmp.resolve("spec.yaml"), "train:\n  steps: 20\n");
        run.logArtifact(spec, "");
        run.end(RunStatus.KILLED);
        try (MlflowContractServer server = MlflowContractServer.started()) {
            sync(server, Map.of());
            Files.writeString(spec, "train:\n  steps: 40\n"); // a resume with --set train.steps=40: same size
            LocalRun resumed = tracker.resumeRun(run.id());
            resumed.logArtifact(spec, "");
            resumed.end(RunStatus.FINISHED);
            sync(server, Map.of());
            synchronized (server) {
                String key = server.artifacts.keySet().stream().filter(k -> k.endsWith("/spec.yaml")).findFirst().orElseThrow();
                assertEquals("train:\n  steps: 40\n", new String(server.artifacts.get(key)));
            }
        }
    }

    @Test
    void aMissingRunIsAskedOnceAndServerMessagesHoldNoSecretsOrClassNames() throws Exception {
        Map<String, String> env = Map.of("MLFLOW_TRACKING_USERNAME", "alice", "MLFLOW_TRACKING_PASSWORD", "s3cret-pass");
        try (MlflowContractServer server = MlflowContractServer.started();
             MlflowServer remote = new MlflowServer(ServerCredentials.of(server.uri(), env),
                     Redactor.fromEnvironment(env, server.uri()))) {
            server.echoHeaders = true;
            TrackingServerException e = assertThrows(TrackingServerException.class,
                    () -> remote.run("0123456789abcdef0123456789abcdef"));
            synchronized (server) {
                assertEquals(1, server.requests("runs/get").size(), "a 404 is an answer, not a reason to ask again");
            }
            assertEquals(404, e.status());
            assertFalse(e.retryable());
            String header = java.util.Base64.getEncoder().encodeToString("alice:s3cret-pass".getBytes());
            assertFalse(e.getMessage().contains(header) || e.getMessage().contains("s3cret-pass"), e.getMessage());
            assertTrue(e.getMessage().contains("Basic ***"), "the echoed header is there, masked: " + e.getMessage());
        }
        try (MlflowContractServer down = MlflowContractServer.notStarted();
             MlflowServer remote = new MlflowServer(ServerCredentials.of(down.uri(), Map.of()), new Redactor(List.of()))) {
            TrackingServerException e = assertThrows(TrackingServerException.class, () -> remote.experimentId("x"));
            assertTrue(e.retryable());
            assertTrue(e.getMessage().endsWith("failed: connection refused (is the server running, and is the address "
                    + "right?)"), e.getMessage());
            assertFalse(e.getMessage().matches(".*\\b[a-z]+\\.[a-z_.]+\\.[A-Z]\\w*(Exception|Error)\\b.*"), e.getMessage());
        }
    }
}
