package io.difflab.tracking;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code mlflow.*} tags MLflow's own clients set on a run (names from
 * {@code mlflow/utils/mlflow_tags.py}): run name, user, source name and type, git commit of the
 * working folder, and the parent run of a sweep's child.
 */
public final class SystemTags {

    public static final String RUN_NAME = "mlflow.runName";
    public static final String PARENT_RUN_ID = "mlflow.parentRunId";
    public static final String USER = "mlflow.user";
    public static final String SOURCE_NAME = "mlflow.source.name";
    public static final String SOURCE_TYPE = "mlflow.source.type";
    public static final String GIT_COMMIT = "mlflow.source.git.commit";
    /** On a server's copy of a run: the id of the run in the local store it came from. */
    public static final String LOCAL_RUN_ID = "difflab.local_run_id";

    private SystemTags() {
    }

    /**
     * The system tags of a new run started in {@code workingDir}.
     *
     * @param parentRunId the parent run, or null
     */
    public static Map<String, String> forRun(String runName, String parentRunId, Path workingDir) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(RUN_NAME, runName);
        tags.put(USER, userName());
        tags.put(SOURCE_NAME, "difflab");
        tags.put(SOURCE_TYPE, "LOCAL");
        GitCommit.of(workingDir).ifPresent(c -> tags.put(GIT_COMMIT, c));
        if (parentRunId != null && !parentRunId.isBlank()) {
            tags.put(PARENT_RUN_ID, parentRunId);
        }
        return tags;
    }

    public static String userName() {
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "unknown" : user;
    }
}
