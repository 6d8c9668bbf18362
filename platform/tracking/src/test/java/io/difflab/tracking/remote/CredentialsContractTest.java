package io.difflab.tracking.remote;

import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import static io.difflab.tracking.remote.ContractFixtures.awaitStatus;
import static io.difflab.tracking.remote.ContractFixtures.remoteOf;
import static io.difflab.tracking.remote.ContractFixtures.serverTracker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract tests of credentials (against {@link MlflowContractServer}: no MLflow server can be
 * installed on the build machines): they reach the server only as the Authorization header, and
 * never appear in params, tags, artifacts, the local store, the log (debug lines of the
 * official client included) or exception messages.
 */
class CredentialsContractTest {

    private static final String PASSWORD = "s3cr3t-Pa55word";
    private static final String TOKEN = "tok-9f8e7d6c5b4a";

    @TempDir
    Path tmp;

    @Test
    void basicCredentialsAreSentAsAHeaderAndNowhereElse() throws Exception {
        Map<String, String> env = Map.of("MLFLOW_TRACKING_USERNAME", "alice", "MLFLOW_TRACKING_PASSWORD", PASSWORD);
        String expected = "Basic " + Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        String log = runLeakingEverywhere(env, expected);
        assertFalse(log.contains(PASSWORD), "the log holds the password");
    }

    @Test
    void aTokenIsSentAsABearerHeaderAndNowhereElse() throws Exception {
        String log = runLeakingEverywhere(Map.of("MLFLOW_TRACKING_TOKEN", TOKEN), "Bearer " + TOKEN);
        assertFalse(log.contains(TOKEN), "the log holds the token");
    }

    @Test
    void credentialsNeverShowInDescriptions() {
        ServerCredentials c = ServerCredentials.of("http://bob:" + PASSWORD + "@127.0.0.1:5000/", Map.of());
        assertEquals("http://127.0.0.1:5000", c.host());
        assertFalse(c.toString().contains(PASSWORD));
        assertTrue(c.authorization().orElseThrow().startsWith("Basic "));
    }

    /** Logs the secret everywhere a careless caller could; returns what was logged meanwhile. */
    private String runLeakingEverywhere(Map<String, String> env, String expectedAuthorization) throws Exception {
        String secret = env.getOrDefault("MLFLOW_TRACKING_PASSWORD", env.get("MLFLOW_TRACKING_TOKEN"));
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "server password is " + secret + "\n");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (MlflowContractServer server = MlflowContractServer.started();
             ServerTracker tracker = serverTracker(tmp, server.uri(), env)) {
            server.unavailableFor.set(4); // failures get logged: their messages must be clean too
            TrackedRun run = tracker.startRun("e", "leaky", null, Map.of("cli", "--password " + secret));
            run.logParams(Map.of("tracking.uri", "http://alice:" + secret + "@mlflow.example:5000",
                    "note", "secret=" + secret));
            run.setTags(Map.of("env", "MLFLOW_TRACKING_PASSWORD=" + secret));
            run.logMetric("train.loss", 0.1, 1);
            run.logArtifact(notes, "");
            run.end(RunStatus.FINISHED);
            awaitStatus(server, run.id(), Service.RunStatus.FINISHED);
            synchronized (server) {
                FakeRun remote = remoteOf(server, run.id());
                assertEquals("http://***@mlflow.example:5000", remote.params.get("tracking.uri"));
                assertEquals("secret=***", remote.params.get("note"));
                assertEquals("MLFLOW_TRACKING_PASSWORD=***", remote.tags.get("env"));
                assertEquals("--password ***", remote.tags.get("cli"));
                remote.params.values().forEach(v -> assertFalse(v.contains(secret)));
                remote.tags.values().forEach(v -> assertFalse(v.contains(secret)));
                for (byte[] artifact : server.artifacts.values()) {
                    assertFalse(new String(artifact, StandardCharsets.UTF_8).contains(secret));
                }
                assertEquals(1, server.artifacts.size());
                assertFalse(server.requests.isEmpty());
                for (MlflowContractServer.Request r : server.requests) {
                    assertEquals(expectedAuthorization, r.authorization(), r.path());
                    assertTrue(r.body() == null || !r.body().toString().contains(secret), r.path());
                }
                assertTrue(server.refused > 0);
            }
            assertNoFileHolds(tmp.resolve("mlruns"), secret);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("Sending POST runs/log-batch"), "the client's debug lines were captured");
        assertTrue(log.contains("TEMPORARILY_UNAVAILABLE"), "failures were logged");
        return log;
    }

    private static void assertNoFileHolds(Path root, String secret) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f, StandardCharsets.ISO_8859_1).contains(secret), f.toString());
            }
        }
    }
}
