package io.difflab.tracking.store;

import io.difflab.api.tracking.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds runs left RUNNING by a process that died (killed, out of memory, power cut) and records
 * them as KILLED, ended at their last write, with a {@code difflab.end_reason} tag. Runs
 * without an owner record (written by MLflow itself) are left alone.
 */
public final class StaleRuns {

    public static final String END_REASON_TAG = "difflab.end_reason";
    private static final Logger LOG = LoggerFactory.getLogger(StaleRuns.class);

    private StaleRuns() {
    }

    /** Marks every stale run of the store KILLED; returns their ids. */
    public static List<String> markKilled(FileStore store) throws IOException {
        List<String> marked = new ArrayList<>();
        if (!store.exists()) {
            return marked;
        }
        for (StoredRun run : store.allRuns()) {
            if (markIfStale(store, run)) {
                marked.add(run.id());
            }
        }
        return marked;
    }

    /**
     * Whether {@code run} is RUNNING with an owner process that is gone (one on another host may be
     * alive: its runs are left alone).
     */
    public static boolean isStale(StoredRun run) {
        if (run.meta().status() != RunStatus.RUNNING) {
            return false;
        }
        Optional<RunOwner> owner = RunOwner.read(run.files());
        return owner.isPresent() && owner.get().gone();
    }

    /** Marks {@code run} KILLED when it is stale; returns whether it did. */
    public static boolean markIfStale(FileStore store, StoredRun run) throws IOException {
        if (!isStale(run)) {
            return false;
        }
        RunFiles files = run.files();
        long endTime = lastWrite(files);
        long pid = RunOwner.read(files).map(RunOwner::pid).orElse(-1L);
        for (String key : run.metricKeys()) {
            AtomicFiles.dropPartialLastLine(files.metric(key));
        }
        AtomicFiles.write(files.tag(END_REASON_TAG),
                "process " + pid + " ended without ending the run; marked KILLED", files.tmpDir());
        store.writeMeta(files, run.meta().withStatus(RunStatus.KILLED, endTime));
        LOG.info("run {} was left RUNNING by process {}, which is gone: marked KILLED", run.id(), pid);
        return true;
    }

    /** The last modification of the run's meta, metrics, params or tags (its last sign of life). */
    static long lastWrite(RunFiles files) throws IOException {
        long last = Files.getLastModifiedTime(files.meta()).toMillis();
        for (Path dir : List.of(files.metricsDir(), files.paramsDir(), files.tagsDir())) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                last = Math.max(last, walk.filter(Files::isRegularFile).mapToLong(p -> {
                    try {
                        return Files.getLastModifiedTime(p).toMillis();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).max().orElse(0L));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return last;
    }
}
