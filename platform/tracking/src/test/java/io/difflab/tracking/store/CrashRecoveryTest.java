package io.difflab.tracking.store;

import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.Redactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run killed mid-write leaves a readable store; the next tracker marks it KILLED; it can resume. */
class CrashRecoveryTest {

    @TempDir
    Path tmp;

    @Test
    void aProcessKilledWhileWritingLeavesAReadableStore() throws Exception {
        Path root = tmp.resolve("mlruns");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), root.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String runId;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            runId = out.readLine();
            FileStore store = new FileStore(root);
            StoredRun run = store.run(runId).orElseThrow();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (run.history("train.loss").size() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }

        FileStore store = new FileStore(root);
        StoredRun killed = store.run(runId).orElseThrow();
        assertEquals(RunStatus.RUNNING, killed.meta().status());
        for (String key : killed.metricKeys()) {
            String text = Files.readString(killed.files().metric(key));
            long lines = text.chars().filter(c -> c == '\n').count();
            assertEquals(lines, killed.history(key).size(), key + ": every complete line parses");
        }
        assertTrue(killed.history("train.loss").size() >= 100);
        assertTrue(killed.tags().get("progress").startsWith("step "));
        assertTrue(killed.params().values().stream().allMatch(v -> v.matches("\\d+")));
        try (Stream<Path> files = Files.walk(killed.files().dir())) {
            assertTrue(files.filter(p -> p.getFileName().toString().endsWith(".part"))
                    .allMatch(p -> p.startsWith(killed.files().tmpDir())), "temporary files only in .difflab/tmp");
        }

        LocalTracker next = new LocalTracker(store, new Redactor(List.of()), tmp);
        next.startRun("crash", "next", null, Map.of()).end(RunStatus.FINISHED);
        StoredRun marked = store.run(runId).orElseThrow();
        assertEquals(RunStatus.KILLED, marked.meta().status());
        assertTrue(marked.meta().endTime() >= marked.meta().startTime());
        assertTrue(marked.tags().get(StaleRuns.END_REASON_TAG).contains("KILLED"));

        LocalRun resumed = next.resumeRun(runId);
        int before = StoredRun.open(resumed.files()).history("train.loss").size();
        resumed.logMetric("train.loss", 0.01, 1_000_000);
        resumed.end(RunStatus.FINISHED);
        StoredRun done = store.run(runId).orElseThrow();
        assertEquals(RunStatus.FINISHED, done.meta().status());
        assertEquals("1", done.tags().get(LocalTracker.RESUME_COUNT_TAG));
        assertEquals(before + 1, done.history("train.loss").size());
    }

    @Test
    void aTornLastMetricLineIsIgnoredAndCutBeforeTheNextAppend() throws IOException {
        LocalTracker tracker = new LocalTracker(new FileStore(tmp.resolve("mlruns")), new Redactor(List.of()), tmp);
        LocalRun run = tracker.startRun("e", "r", null, Map.of());
        run.logMetric("train.loss", 0.5, 1);
        Path file = run.files().metric("train.loss");
        // what a power cut in the middle of a write leaves: the start of a line, no newline
        Files.writeString(file, "1700000000000 0.7", StandardOpenOption.APPEND);
        StoredRun torn = StoredRun.open(run.files());
        assertEquals(1, torn.history("train.loss").size());
        assertEquals(Files.size(file) - "1700000000000 0.7".length(), MetricFile.read(file, 0, 100).endOffset());

        LocalRun resumed = tracker.resumeRun(run.id());
        resumed.logMetric("train.loss", 0.25, 2);
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).endsWith(" 0.25 2"), lines.get(1));
    }

    @Test
    void aLeftoverTemporaryFileChangesNothing() throws IOException {
        LocalTracker tracker = new LocalTracker(new FileStore(tmp.resolve("mlruns")), new Redactor(List.of()), tmp);
        LocalRun run = tracker.startRun("e", "r", null, Map.of("a", "1"));
        // killed between writing a temporary file and renaming it over params/b
        Files.createDirectories(run.files().tmpDir());
        Files.writeString(run.files().tmpDir().resolve("tmp-123.part"), "half of a val");
        StoredRun back = StoredRun.open(run.files());
        assertFalse(back.params().containsKey("b"));
        assertEquals("1", back.tags().get("a"));
        assertEquals(RunStatus.RUNNING, back.meta().status());
    }
}
