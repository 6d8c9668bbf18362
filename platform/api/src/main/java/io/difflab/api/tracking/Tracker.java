package io.difflab.api.tracking;

import java.util.Map;

/**
 * Where runs are recorded (MLflow: a server or the local store). Host service, injectable;
 * plugins see this interface only, never MLflow itself.
 */
public interface Tracker {

    /**
     * Starts a run.
     *
     * @param experiment  the experiment name, created when absent
     * @param runName     the run name
     * @param parentRunId the parent run (a sweep), or {@code null}
     * @param tags        tags to set at start
     */
    TrackedRun startRun(String experiment, String runName, String parentRunId, Map<String, String> tags);

    /**
     * Reopens a run of an earlier process (a resumed training) to log into it again. A run left
     * RUNNING by a process that died is first recorded as KILLED, then set RUNNING again.
     *
     * @param runId the run id returned by {@link TrackedRun#id()} of the earlier process
     * @throws io.difflab.api.UserError when no such run exists or another live process owns it
     */
    TrackedRun resumeRun(String runId);

    /** Where this tracker writes, for messages (a URI or a folder). */
    String location();
}
