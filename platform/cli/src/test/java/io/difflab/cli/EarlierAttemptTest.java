package io.difflab.cli;

import io.difflab.api.tracking.RunStatus;
import io.difflab.host.run.RunArtifacts;
import io.difflab.host.run.RunRecord;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.TrackingSettings;
import io.difflab.tracking.remote.SenderSettings;
import io.difflab.tracking.store.FileStore;
import io.difflab.tracking.store.LocalRun;
import io.difflab.tracking.store.LocalTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A retried cell task does nothing when an earlier attempt finished the cell; otherwise it runs. */
class EarlierAttemptTest {

    @TempDir
    Path dir;

    @Test
    void onlyARunEndedFinishedWithItsResultsWrittenCountsAsDone() throws Exception {
        Path store = dir.resolve("journal");
        TrackingSettings settings = new TrackingSettings("", store, Map.of(), dir, SenderSettings.defaults());
        PrintStream log = new PrintStream(new ByteArrayOutputStream());
        Path runDir = Files.createDirectories(dir.resolve("runs/s/cell-20260101-000000"));
        assertFalse(EarlierAttempt.finished(runDir, settings, log), "no run yet");

        LocalRun run = new LocalTracker(new FileStore(store), new Redactor(List.of()), dir)
                .startRun("s", "cell", null, Map.of());
        Files.writeString(runDir.resolve(RunRecord.FILE), run.id() + "\n");
        Files.writeString(runDir.resolve(RunArtifacts.RESULTS), "eval.nfe=10.0\n");
        assertFalse(EarlierAttempt.finished(runDir, settings, log), "still RUNNING: its attempt was lost");

        run.end(RunStatus.KILLED);
        assertFalse(EarlierAttempt.finished(runDir, settings, log), "KILLED before it ended");

        new LocalTracker(new FileStore(store), new Redactor(List.of()), dir).resumeRun(run.id())
                .end(RunStatus.FINISHED);
        assertTrue(EarlierAttempt.finished(runDir, settings, log));
        Files.delete(runDir.resolve(RunArtifacts.RESULTS));
        assertFalse(EarlierAttempt.finished(runDir, settings, log), "no results, no finished cell");
    }
}
