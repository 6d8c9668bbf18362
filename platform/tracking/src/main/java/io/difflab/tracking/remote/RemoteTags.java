package io.difflab.tracking.remote;

import io.difflab.tracking.SystemTags;
import io.difflab.tracking.store.StoredRun;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tags a server's copy of a local run carries: the local tags, with the tags that name
 * another local run ({@code mlflow.parentRunId}, {@code difflab.trained_in_run}) translated to
 * that run's id on the server, plus {@code difflab.local_run_id} naming the local run (how a lost
 * sync state is recovered, and how a local id printed earlier is found on the server).
 */
final class RemoteTags {

    /** The run that trained the networks a run started from (a sweep cell sharing a training). */
    static final String TRAINED_IN_RUN = "difflab.trained_in_run";

    /** Maps a local parent run id to the server's id of that run. */
    @FunctionalInterface
    interface ParentIds {
        String remoteIdOf(String localRunId) throws IOException;
    }

    /** Tags whose value is the id of another run of the same store. */
    static final java.util.List<String> RUN_ID_TAGS = java.util.List.of(SystemTags.PARENT_RUN_ID, TRAINED_IN_RUN);

    private RemoteTags() {
    }

    /** The tags, {@code difflab.local_run_id} and {@code mlflow.*} first. */
    static Map<String, String> of(StoredRun run, ParentIds parents) throws IOException {
        Map<String, String> local = new TreeMap<>(run.tags());
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(SystemTags.LOCAL_RUN_ID, run.id());
        for (String key : RUN_ID_TAGS) {
            String other = local.remove(key);
            if (other != null && !other.isBlank()) {
                tags.put(key, parents.remoteIdOf(other.strip()));
            }
        }
        local.forEach((k, v) -> {
            if (k.startsWith("mlflow.")) {
                tags.put(k, v);
            }
        });
        local.forEach(tags::putIfAbsent);
        return tags;
    }
}
