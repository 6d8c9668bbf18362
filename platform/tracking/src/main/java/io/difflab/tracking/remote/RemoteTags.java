package io.difflab.tracking.remote;

import io.difflab.tracking.SystemTags;
import io.difflab.tracking.store.StoredRun;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tags a server's copy of a local run carries: the local tags, with
 * {@code mlflow.parentRunId} translated to the parent's id on that server, plus
 * {@code difflab.local_run_id} naming the local run (how a lost sync state is recovered).
 */
final class RemoteTags {

    /** Maps a local parent run id to the server's id of that run. */
    @FunctionalInterface
    interface ParentIds {
        String remoteIdOf(String localRunId) throws IOException;
    }

    private RemoteTags() {
    }

    /** The tags, {@code difflab.local_run_id} and {@code mlflow.*} first. */
    static Map<String, String> of(StoredRun run, ParentIds parents) throws IOException {
        Map<String, String> local = new TreeMap<>(run.tags());
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(SystemTags.LOCAL_RUN_ID, run.id());
        String parent = local.remove(SystemTags.PARENT_RUN_ID);
        if (parent != null && !parent.isBlank()) {
            tags.put(SystemTags.PARENT_RUN_ID, parents.remoteIdOf(parent.strip()));
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
