package io.difflab.tracking.store;

import io.difflab.api.UserError;
import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.catalog.LocalCatalog;
import io.difflab.tracking.catalog.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local store's records stay true: a reopened run knows what it holds (so that the steps a
 * resumed training repeats are not recorded twice), damaged meta.yaml files are passed over and named by path (never read as a run with an
 * empty id), the params in force after a resume are read back, files are readable by others, and a
 * store that cannot be written is refused before anything is created.
 */
class StoreIntegrityTest {

    @TempDir
    Path tmp;

    private LocalTracker tracker() {
        return new LocalTracker(new FileStore(tmp.resolve("mlruns")), new Redactor(List.of()), tmp);
    }

    @Test
    void aReopenedRunKnowsTheLastStepOfEachMetric() throws Exception {
        LocalRun run = tracker().startRun("e", "r", null, Map.of());
        assertEquals(Map.of(), run.recordedSteps(), "a new run holds nothing");
        for (long step = 1; step <= 7; step++) {
            run.logMetrics(Map.of("train.loss", 1.0 / step), step); // killed after step 7
        }
        run.logMetric("eval.fd", 9.0, 6);
        Files.writeString(run.files().metric("train.loss"), "1700000000000 0.1 8", java.nio.file.StandardOpenOption.APPEND);
        LocalRun resumed = tracker().resumeRun(run.id());
        assertEquals(Map.of("train.loss", 7L, "eval.fd", 6L), resumed.recordedSteps(), "a cut last line does not count");
        resumed.logMetric("train.loss", 0.5, 8);
        StoredRun stored = tracker().store().run(run.id()).orElseThrow();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L),
                stored.history("train.loss").stream().map(MetricPoint::step).toList(), "the cut line is gone");
    }

    @Test
    void damagedMetaFilesArePassedOverAndNamedByPath() throws Exception {
        LocalTracker tracker = tracker();
        LocalRun good = tracker.startRun("e", "good", null, Map.of());
        good.end(RunStatus.FINISHED);
        LocalRun cut = tracker.startRun("e", "cut", null, Map.of());
        LocalRun empty = tracker.startRun("e", "empty", null, Map.of());
        String meta = Files.readString(cut.files().meta());
        Files.writeString(cut.files().meta(), meta.substring(0, meta.indexOf("run_id")));
        Files.writeString(empty.files().meta(), "");

        LocalCatalog catalog = new LocalCatalog(new FileStore(tmp.resolve("mlruns")));
        List<RunSummary> runs = catalog.runs(null);
        assertEquals(List.of(good.id()), runs.stream().map(RunSummary::runId).toList(), "no run with an empty id");
        List<String> damaged = catalog.damaged();
        assertEquals(2, damaged.size(), damaged.toString());
        assertTrue(damaged.contains(cut.files().dir() + ": damaged meta.yaml (no run_id)"), damaged.toString());
        assertTrue(damaged.contains(empty.files().dir() + ": empty meta.yaml"), damaged.toString());
        UserError e = assertThrows(UserError.class, () -> catalog.run(empty.id()));
        assertEquals("run " + empty.id() + " cannot be read: empty meta.yaml", e.getMessage());

        Path experimentMeta = tmp.resolve("mlruns").resolve(good.experimentId()).resolve("meta.yaml");
        String text = Files.readString(experimentMeta);
        Files.writeString(experimentMeta, text.substring(0, text.indexOf("name:")));
        LocalCatalog again = new LocalCatalog(new FileStore(tmp.resolve("mlruns")));
        UserError missing = assertThrows(UserError.class, () -> again.runs("e"));
        assertTrue(missing.getMessage().startsWith("no experiment named e in ") && missing.getMessage()
                .contains(experimentMeta.getParent() + ": damaged meta.yaml (no name)"), missing.getMessage());
    }

    @Test
    void paramsChangedByAResumeAreReadBackInForce() throws Exception {
        LocalRun run = tracker().startRun("e", "r", null, Map.of());
        run.logParams(Map.of("train.steps", "20", "seed", "0"));
        run.setTags(Map.of(RunSummary.PARAM_TAG_PREFIX + "train.steps", "40"));
        RunSummary summary = new LocalCatalog(new FileStore(tmp.resolve("mlruns"))).run(run.id());
        assertEquals(Map.of("train.steps", "40", "seed", "0"), summary.params());
        assertEquals("20", Files.readString(run.files().param("train.steps")), "MLflow's param itself never changes");
    }

    @Test
    void everyFileIsReadableByOthersAsAnOrdinaryFileIs() throws Exception {
        Set<PosixFilePermission> ordinary = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("plain")));
        LocalRun run = tracker().startRun("e", "r", null, Map.of());
        run.logParams(Map.of("seed", "0"));
        Path artifact = Files.writeString(tmp.resolve("spec.yaml"), "seed: 0\n");
        run.logArtifact(artifact, "");
        run.end(RunStatus.FINISHED);
        for (Path f : List.of(run.files().meta(), run.files().param("seed"), run.files().artifactsDir().resolve("spec.yaml"),
                run.files().tag("mlflow.runName"))) {
            assertEquals(ordinary, Files.getPosixFilePermissions(f), f + ": an mlflow ui of another user reads it");
        }
    }

    @Test
    void aStoreThatCannotBeWrittenIsRefusedBeforeAnythingIsCreated() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        UserError e = assertThrows(UserError.class, () -> new FileStore(file.resolve("mlruns")).checkWritable());
        assertEquals("cannot write the tracking store " + file.resolve("mlruns") + ": " + file + " is not a folder",
                e.getMessage());
        Path readOnly = Files.createDirectory(tmp.resolve("read-only"));
        if (readOnly.toFile().setWritable(false, false) && !Files.isWritable(readOnly)) { // root writes anyway
            UserError denied = assertThrows(UserError.class, () -> new FileStore(readOnly.resolve("mlruns")).checkWritable());
            assertTrue(denied.getMessage().contains("is not writable (permission denied)"), denied.getMessage());
        }
        new FileStore(tmp.resolve("fine/mlruns")).checkWritable();
        assertTrue(Files.notExists(tmp.resolve("fine")), "checking creates nothing");
    }
}
