package io.difflab.host.sweep;

import io.difflab.api.UserError;
import io.difflab.api.tracking.RunStatus;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.api.tracking.Tracker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A tracker in memory: runs with their parent, tags, params and status. */
final class FakeTracker implements Tracker {

    /** One recorded run. */
    static final class Run implements TrackedRun {
        final String id;
        final String name;
        final String parent;
        final Map<String, String> tags = new ConcurrentHashMap<>();
        final Map<String, String> params = new ConcurrentHashMap<>();
        volatile RunStatus status = RunStatus.RUNNING;
        volatile int resumes;

        Run(String id, String name, String parent) {
            this.id = id;
            this.name = name;
            this.parent = parent;
        }

        public String id() { return id; }
        public String experimentId() { return "0"; }
        public void logParams(Map<String, String> p) { params.putAll(p); }
        public void logMetric(String key, double value, long step) { }
        public void setTags(Map<String, String> t) { tags.putAll(t); }
        public void logArtifact(Path file, String artifactPath) { }
        public void end(RunStatus s) { status = s; }
    }

    final Map<String, Run> runs = new LinkedHashMap<>();

    @Override
    public synchronized TrackedRun startRun(String experiment, String runName, String parentRunId,
                                            Map<String, String> tags) {
        Run run = new Run("run" + (runs.size() + 1), runName, parentRunId);
        run.tags.putAll(tags);
        runs.put(run.id, run);
        return run;
    }

    @Override
    public synchronized TrackedRun resumeRun(String runId) {
        Run run = runs.get(runId);
        if (run == null) {
            throw new UserError("no run " + runId);
        }
        run.resumes++;
        run.status = RunStatus.RUNNING;
        return run;
    }

    @Override
    public String location() {
        return "memory";
    }
}
