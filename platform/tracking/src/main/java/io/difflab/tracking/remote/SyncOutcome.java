package io.difflab.tracking.remote;

/**
 * What one pass of sending a run did.
 *
 * @param localRunId  the run in the local store
 * @param remoteRunId the server's run, or null when not created yet
 * @param params      params sent in this pass
 * @param tags        tags sent in this pass
 * @param metrics     metric points sent in this pass
 * @param artifacts   artifact files sent in this pass
 * @param status      the status the server now has, or null
 * @param updated     the server's run was created or its status changed in this pass
 * @param complete    the run has ended and the server has all of it
 * @param busy        another thread or process was sending it, or its parent run (not on the server
 *                    yet): nothing was done
 */
public record SyncOutcome(String localRunId, String remoteRunId, int params, int tags, int metrics,
                          int artifacts, String status, boolean updated, boolean complete, boolean busy) {

    static SyncOutcome busy(String localRunId) {
        return new SyncOutcome(localRunId, null, 0, 0, 0, 0, null, false, false, true);
    }

    /** Whether this pass sent anything. */
    public boolean sentAnything() {
        return updated || params + tags + metrics + artifacts > 0;
    }
}
