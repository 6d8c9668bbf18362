package io.difflab.tracking.remote;

import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.catalog.LocalCatalog;
import io.difflab.tracking.catalog.RunCatalog;
import io.difflab.tracking.catalog.ServerCatalog;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.LocalRun;
import io.difflab.tracking.store.LocalTracker;
import io.difflab.tracking.store.MetricPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code difflab report} reads and writes through a {@link RunCatalog}: metric histories,
 * artifacts downloaded, artifacts added to a finished run; the same answers from the local store
 * and (a contract test against {@link MlflowContractServer}) from a server holding its copy.
 */
class RunCatalogContractTest {

    @TempDir
    Path tmp;

    private final byte[] grid = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff};

    private LocalRun recordRun(FileStore store) throws Exception {
        LocalTracker tracker = new LocalTracker(store, new Redactor(List.of()), tmp);
        LocalRun run = tracker.startRun("report", "cell", null, Map.of());
        for (int step = 1; step <= 5; step++) {
            run.logMetric("train.loss", 1.0 / step, step);
        }
        Path png = tmp.resolve("samples.png");
        Files.write(png, grid);
        run.logArtifact(png, "");
        run.end(RunStatus.FINISHED);
        return run;
    }

    private void assertCatalogAnswers(RunCatalog catalog, String runId) throws Exception {
        assertEquals("report", catalog.run(runId).experimentName(), "the experiment's name, not its id");
        List<MetricPoint> loss = catalog.history(runId, "train.loss");
        assertEquals(5, loss.size());
        assertEquals(0.25, loss.get(3).value());
        assertEquals(4, loss.get(3).step());
        assertTrue(catalog.history(runId, "eval.fd").isEmpty(), "never logged");
        Path copy = tmp.resolve("copy.png");
        assertTrue(catalog.downloadArtifact(runId, "samples.png", copy));
        assertArrayEquals(grid, Files.readAllBytes(copy));
        assertFalse(catalog.downloadArtifact(runId, "nothing.png", tmp.resolve("nothing.png")));
        Path report = Files.createDirectories(tmp.resolve("out/plots"));
        Files.writeString(tmp.resolve("out/README.md"), "# report\n");
        Files.write(report.resolve("fd.png"), grid);
        catalog.logArtifacts(runId, tmp.resolve("out"), "report");
    }

    @Test
    void localStoreReadsHistoriesAndArtifactsAndAddsArtifactsToAFinishedRun() throws Exception {
        FileStore store = new FileStore(tmp.resolve("mlruns"));
        LocalRun run = recordRun(store);
        assertCatalogAnswers(new LocalCatalog(store), run.id());
        Path artifacts = run.files().artifactsDir();
        assertEquals("# report\n", Files.readString(artifacts.resolve("report/README.md")));
        assertArrayEquals(grid, Files.readAllBytes(artifacts.resolve("report/plots/fd.png")));
        assertEquals(RunStatus.FINISHED, store.run(run.id()).orElseThrow().meta().status(), "still FINISHED");
    }

    @Test
    void serverAnswersTheSameThroughItsArtifactProxy() throws Exception {
        FileStore store = new FileStore(tmp.resolve("mlruns"));
        LocalRun run = recordRun(store);
        try (MlflowContractServer server = MlflowContractServer.started();
             MlflowServer remote = new MlflowServer(ServerCredentials.of(server.uri(), Map.of()),
                     new Redactor(List.of()))) {
            new StoreSync(store, remote).syncAll(o -> { });
            String remoteId = ContractFixtures.remoteOf(server, run.id()).id;
            assertCatalogAnswers(new ServerCatalog(remote), remoteId);
            synchronized (server) {
                assertTrue(server.artifacts.keySet().stream().anyMatch(k -> k.endsWith(remoteId + "/artifacts/report/README.md")),
                        server.artifacts.keySet().toString());
                assertTrue(server.artifacts.keySet().stream().anyMatch(k -> k.endsWith("/report/plots/fd.png")));
                assertTrue(server.violations.isEmpty(), server.violations.toString());
            }
        }
    }
}
