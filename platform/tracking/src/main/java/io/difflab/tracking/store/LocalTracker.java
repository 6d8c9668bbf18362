package io.difflab.tracking.store;

import io.difflab.api.UserError;
import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.api.tracking.Tracker;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.SystemTags;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Records runs in a local MLflow file store (the default: {@code ./mlruns}). Nothing happens on
 * construction; the store is created by the first run, which also marks KILLED the runs that
 * dead processes left RUNNING.
 */
public final class LocalTracker implements Tracker {

    public static final String RESUME_COUNT_TAG = "difflab.resume_count";

    private final FileStore store;
    private final Redactor redactor;
    private final Path workingDir;
    private boolean reaped;

    /**
     * @param store      the file store
     * @param redactor   keeps credentials out of params, tags and artifacts
     * @param workingDir the folder whose git commit is recorded
     */
    public LocalTracker(FileStore store, Redactor redactor, Path workingDir) {
        this.store = store;
        this.redactor = redactor;
        this.workingDir = workingDir;
    }

    public FileStore store() {
        return store;
    }

    @Override
    public LocalRun startRun(String experiment, String runName, String parentRunId, Map<String, String> tags) {
        String runId = UUID.randomUUID().toString().replace("-", "");
        String name = runName == null || runName.isBlank() ? "run-" + runId.substring(0, 8) : runName;
        try {
            prepare();
            ExperimentMeta exp = store.getOrCreateExperiment(experiment);
            RunFiles files = store.createRun(exp, runId, name, SystemTags.userName(), System.currentTimeMillis());
            RunOwner.current().write(files);
            LocalRun run = new LocalRun(store, files, StoredRun.open(files).meta(), redactor);
            Map<String, String> all = new LinkedHashMap<>(SystemTags.forRun(name, parentRunId, workingDir));
            if (tags != null) {
                tags.forEach((k, v) -> {
                    if (!k.equals(SystemTags.RUN_NAME) && !k.equals(SystemTags.PARENT_RUN_ID)) {
                        all.put(k, v);
                    }
                });
            }
            run.setTags(all);
            return run;
        } catch (IOException e) {
            throw new UserError("cannot write the tracking store " + store.root() + ": "
                    + redactor.scrub(e.getMessage()), e);
        }
    }

    @Override
    public LocalRun resumeRun(String runId) {
        try {
            prepare();
            StoredRun stored = store.run(runId).orElseThrow(() ->
                    new UserError("no run " + runId + " to resume in " + store.root()));
            Optional<RunOwner> owner = RunOwner.read(stored.files());
            if (stored.meta().status() == RunStatus.RUNNING && owner.isPresent()
                    && owner.get().alive() && !owner.get().isCurrentProcess()) {
                throw new UserError("run " + runId + " is still being written by process " + owner.get().pid());
            }
            StaleRuns.markIfStale(store, stored);
            stored = StoredRun.open(stored.files());
            RunOwner.current().write(stored.files());
            LocalRun run = new LocalRun(store, stored.files(), stored.meta(), redactor);
            run.reopen();
            int resumes = 1 + Integer.parseInt(Optional.ofNullable(stored.tags().get(RESUME_COUNT_TAG)).orElse("0"));
            run.setTags(Map.of(RESUME_COUNT_TAG, Integer.toString(resumes)));
            return run;
        } catch (IOException e) {
            throw new UserError("cannot resume run " + runId + " in " + store.root() + ": "
                    + redactor.scrub(e.getMessage()), e);
        }
    }

    @Override
    public String location() {
        return store.root().toString();
    }

    /** Creates the store where missing; once per tracker, marks the runs of dead processes KILLED. */
    private synchronized void prepare() throws IOException {
        store.initialize();
        if (!reaped) {
            reaped = true;
            StaleRuns.markKilled(store);
        }
    }

}
