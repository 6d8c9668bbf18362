package io.difflab.tracking.store;

import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.Redactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local store is MLflow's file-store layout, written and read back. */
class FileStoreLayoutTest {

    @TempDir
    Path tmp;

    private LocalTracker tracker() {
        return new LocalTracker(new FileStore(tmp.resolve("mlruns")), new Redactor(List.of()), tmp);
    }

    @Test
    void runMetaYamlMatchesTheGoldenFile() throws IOException {
        RunMeta meta = new RunMeta("0123456789abcdef0123456789abcdef", "0", "quickstart-1",
                "file:///work/mlruns/0/0123456789abcdef0123456789abcdef/artifacts", "alice",
                RunStatus.FINISHED, 1700000000000L, 1700000123456L, "active");
        try (InputStream golden = getClass().getResourceAsStream("/golden/run-meta.yaml")) {
            assertNotNull(golden);
            assertEquals(new String(golden.readAllBytes(), StandardCharsets.UTF_8), MetaYaml.dump(meta.toYamlMap()));
        }
        Path file = Files.writeString(tmp.resolve("meta.yaml"), MetaYaml.dump(meta.toYamlMap()));
        assertEquals(meta, RunMeta.fromYamlMap(MetaYaml.load(file)));
    }

    @Test
    void defaultExperimentAndTrashAreCreatedAsMlflowDoes() throws IOException {
        FileStore store = new FileStore(tmp.resolve("mlruns"));
        store.initialize();
        assertTrue(Files.isDirectory(store.root().resolve(".trash")));
        String meta = Files.readString(store.root().resolve("0/meta.yaml"));
        assertTrue(meta.contains("experiment_id: '0'\n"), meta);
        assertTrue(meta.contains("name: Default\n"), meta);
        assertTrue(meta.contains("lifecycle_stage: active\n"), meta);
        assertTrue(meta.contains("artifact_location: file:///"), meta);
        assertTrue(meta.matches("(?s).*creation_time: \\d{13}\n.*last_update_time: \\d{13}\n.*"), meta);
    }

    @Test
    void aRunIsWrittenInMlflowsLayoutAndReadBack() throws IOException {
        LocalTracker tracker = tracker();
        LocalRun run = tracker.startRun("diffusion-lab", "quickstart", null, Map.of("seed", "0"));
        run.logParams(Map.of("train.lr", "2.0E-4", "model.name", "ddpm"));
        run.logMetric("train.loss", 0.5, 1);
        run.logMetric("train.loss", 0.25, 2);
        run.logMetric("eval.fd", Double.NaN, 2);
        run.end(RunStatus.FINISHED);

        FileStore store = tracker.store();
        ExperimentMeta exp = store.experimentByName("diffusion-lab").orElseThrow();
        assertTrue(exp.experimentId().matches("[1-9]\\d{17}"), exp.experimentId());
        String expYaml = Files.readString(store.root().resolve(exp.experimentId()).resolve("meta.yaml"));
        assertTrue(expYaml.contains("experiment_id: '" + exp.experimentId() + "'\n"), expYaml);

        Path dir = store.root().resolve(exp.experimentId()).resolve(run.id());
        assertTrue(run.id().matches("[0-9a-f]{32}"));
        String runYaml = Files.readString(dir.resolve("meta.yaml"));
        for (String line : List.of("run_id: " + run.id(), "run_uuid: " + run.id(), "status: 3", "tags: []",
                "experiment_id: '" + exp.experimentId() + "'", "run_name: quickstart", "source_type: 4",
                "lifecycle_stage: active", "entry_point_name: ''", "source_name: ''", "source_version: ''")) {
            assertTrue(runYaml.contains(line + "\n"), line + " in\n" + runYaml);
        }
        assertTrue(runYaml.contains("artifact_uri: " + exp.artifactLocation() + "/" + run.id() + "/artifacts\n"));
        List<String> loss = Files.readAllLines(dir.resolve("metrics/train.loss"));
        assertEquals(2, loss.size());
        assertTrue(loss.get(0).matches("\\d{13} 0\\.5 1"), loss.get(0));
        assertTrue(Files.readString(dir.resolve("metrics/eval.fd")).matches("\\d{13} nan 2\n"));
        assertEquals("ddpm", Files.readString(dir.resolve("params/model.name")));
        assertEquals("quickstart", Files.readString(dir.resolve("tags/mlflow.runName")));
        assertEquals("0", Files.readString(dir.resolve("tags/seed")));
        assertTrue(Files.isDirectory(dir.resolve("artifacts")));

        StoredRun back = store.run(run.id()).orElseThrow();
        assertEquals(RunStatus.FINISHED, back.meta().status());
        assertNotNull(back.meta().endTime());
        assertEquals(Map.of("train.lr", "2.0E-4", "model.name", "ddpm"), back.params());
        assertEquals(0.25, back.latestMetrics().get("train.loss").value());
        assertTrue(Double.isNaN(back.latestMetrics().get("eval.fd").value()));
        assertEquals("difflab", back.tags().get("mlflow.source.name"));
    }

    @Test
    void artifactsAreCopiedUnderTheirPath() throws IOException {
        LocalRun run = tracker().startRun("e", "r", null, Map.of());
        Path samples = Files.createDirectories(tmp.resolve("samples"));
        Files.writeString(samples.resolve("grid.txt"), "grid");
        Files.createDirectories(samples.resolve("raw"));
        Files.writeString(samples.resolve("raw/0.txt"), "zero");
        Path spec = Files.writeString(tmp.resolve("spec.yaml"), "name: x\n");
        run.logArtifact(samples, "samples");
        run.logArtifact(spec, "");
        StoredRun back = StoredRun.open(run.files());
        assertEquals(List.of("samples/grid.txt", "samples/raw/0.txt", "spec.yaml"), back.artifacts());
    }

    @Test
    void paramsNeverChangeAndInvalidKeysAreMadeValid() throws IOException {
        LocalRun run = tracker().startRun("e", "r", null, Map.of());
        run.logParams(Map.of("lr", "1"));
        run.logParams(Map.of("lr", "2", "bad key!", "v"));
        Map<String, String> params = StoredRun.open(run.files()).params();
        assertEquals("1", params.get("lr"));
        assertEquals("v", params.get("bad key_"));
    }

    @Test
    void metricKeysWithSlashesNestAsMlflowStoresThem() throws IOException {
        LocalRun run = tracker().startRun("e", "r", null, Map.of());
        run.logMetric("eval/fd", 3.0, 7);
        StoredRun back = StoredRun.open(run.files());
        assertEquals(List.of("eval/fd"), back.metricKeys());
        assertEquals(7, back.history("eval/fd").get(0).step());
    }
}
