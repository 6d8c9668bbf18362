package io.difflab.host.run;

import io.difflab.api.UserError;
import io.difflab.kit.train.CheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finished trainings: the marker, the lookup under a runs folder, and the final checkpoints linked into a new run. */
class TrainedModelTest {

    private static final String KEY = "a".repeat(64);

    @TempDir
    Path runs;

    /** A run folder with estimator checkpoints at 5 and 10 and classifier ones at 3 and 6, like a gd run. */
    private Path trainedRun(String name) throws IOException {
        Path run = runs.resolve("sweep").resolve(name);
        for (String step : List.of("step-00000005", "step-00000010")) {
            checkpoint(run.resolve("checkpoints").resolve(step), "estimator " + step);
        }
        for (String step : List.of("step-00000003", "step-00000006")) {
            checkpoint(run.resolve("checkpoints/classifier").resolve(step), "classifier " + step);
        }
        return run;
    }

    private static void checkpoint(Path dir, String content) throws IOException {
        Files.createDirectories(dir);
        for (String f : List.of("model.ndlist", "ema.ndlist", "optimizer.ndlist", "state.properties")) {
            Files.writeString(dir.resolve(f), content + " " + f);
        }
    }

    @Test
    void onlyARecordedTrainingOfTheSameKeyIsFound() throws IOException {
        Path run = trainedRun("a-20260101-000000");
        assertTrue(TrainedModel.find(runs, KEY).isEmpty(), "checkpoints without the marker: still training");
        TrainedModel.record(run, KEY);
        assertEquals(run, TrainedModel.find(runs, KEY).orElseThrow());
        assertEquals(KEY, TrainedModel.keyOf(run).orElseThrow());
        assertTrue(TrainedModel.find(runs, "b".repeat(64)).isEmpty());
        assertTrue(TrainedModel.find(runs.resolve("absent"), KEY).isEmpty());
    }

    @Test
    void aRunsFolderThatIsASymbolicLinkIsSearchedWhereItPoints(@TempDir Path elsewhere) throws IOException {
        Path run = trainedRun("a-20260101-000000");
        TrainedModel.record(run, KEY);
        Path link = Files.createSymbolicLink(elsewhere.resolve("runs"), runs);
        assertEquals(link.resolve("sweep/a-20260101-000000"), TrainedModel.find(link, KEY).orElseThrow(),
                "found, and named under the link");
    }

    @Test
    void theNewestCheckpointOfEveryNetworkIsLinkedIntoTheNewRun() throws IOException {
        Path from = trainedRun("a-20260101-000000");
        TrainedModel.record(from, KEY);
        Path to = Files.createDirectories(runs.resolve("other/b-20260101-000001"));
        TrainedModel.linkInto(from, to, KEY);
        TrainedModel.linkInto(from, to, KEY); // a retry: nothing to do, nothing breaks

        CheckpointStore estimator = new CheckpointStore(to.resolve("checkpoints"), 2);
        assertEquals(List.of(10L), estimator.list().stream().map(c -> c.step()).toList(), "only the final one");
        assertEquals("estimator step-00000010 ema.ndlist", Files.readString(estimator.latest().orElseThrow().ema()));
        CheckpointStore classifier = new CheckpointStore(to.resolve("checkpoints/classifier"), 2);
        assertEquals(6L, classifier.latest().orElseThrow().step());
        assertEquals("classifier step-00000006 model.ndlist",
                Files.readString(classifier.latest().orElseThrow().model()));
        try (var left = Files.list(to.resolve("checkpoints"))) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary folder left");
        }
        assertTrue(TrainedModel.keyOf(to).isEmpty(), "linked, not trained: the run records its own marker itself");
    }

    @Test
    void aFolderWithoutAFinishedTrainingOfTheKeyIsRefused() throws IOException {
        Path from = trainedRun("a-20260101-000000");
        Path to = Files.createDirectories(runs.resolve("b"));
        UserError e = assertThrows(UserError.class, () -> TrainedModel.linkInto(from, to, KEY));
        assertTrue(e.getMessage().contains("no finished training"), e.getMessage());
        TrainedModel.record(from, "c".repeat(64));
        assertThrows(UserError.class, () -> TrainedModel.linkInto(from, to, KEY));
    }

    @Test
    void theFilesANetworkDescribesItselfWithAreWrittenAndLinkedWithItsCheckpoints() throws IOException {
        Path from = trainedRun("a-20260101-000000");
        ai.djl.nn.Block block = new ai.djl.nn.SequentialBlock();
        io.difflab.api.TrainableNetwork classifier = io.difflab.api.TrainableNetwork.auxiliary("classifier", block,
                new ai.djl.ndarray.types.Shape[0], (batch, network, extra) -> null, List.of(), 6)
                .withFiles(java.util.Map.of("architecture.json", file -> Files.writeString(file, "{\"width\": 8}")));
        TrainingStage.writeFiles(classifier, from.resolve("checkpoints/classifier"));
        assertEquals("{\"width\": 8}", Files.readString(from.resolve("checkpoints/classifier/architecture.json")));
        try (var left = Files.list(from.resolve("checkpoints/classifier"))) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary file left");
        }
        TrainedModel.record(from, KEY);
        Path to = Files.createDirectories(runs.resolve("other/b-20260101-000001"));
        TrainedModel.linkInto(from, to, KEY);
        assertEquals("{\"width\": 8}", Files.readString(to.resolve("checkpoints/classifier/architecture.json")));
        assertThrows(IllegalArgumentException.class, () -> classifier.withFiles(java.util.Map.of("../x", f -> { })),
                "a file name, not a path");
    }
}
