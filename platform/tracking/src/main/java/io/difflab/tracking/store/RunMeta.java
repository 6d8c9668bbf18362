package io.difflab.tracking.store;

import io.difflab.api.tracking.RunStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code meta.yaml} in MLflow's file store ({@code _make_persisted_run_info_dict}): both
 * {@code run_id} and {@code run_uuid}, the status as MLflow's integer enum, the source fields
 * empty with {@code source_type} LOCAL (4), and an empty {@code tags} list for old readers.
 *
 * @param runId          32 hexadecimal digits
 * @param experimentId   the experiment's numeric id
 * @param runName        the run name (also the {@code mlflow.runName} tag)
 * @param artifactUri    {@code file:///.../mlruns/<exp>/<run>/artifacts}
 * @param userId         the user who started it
 * @param status         the run's state
 * @param startTime      milliseconds since the epoch
 * @param endTime        milliseconds since the epoch, or null while running
 * @param lifecycleStage {@code active} or {@code deleted}
 */
public record RunMeta(String runId, String experimentId, String runName, String artifactUri,
                      String userId, RunStatus status, long startTime, Long endTime,
                      String lifecycleStage) {

    /** MLflow's SourceType.LOCAL. */
    static final int SOURCE_TYPE_LOCAL = 4;

    /** MLflow's integer for a status (RUNNING=1 SCHEDULED=2 FINISHED=3 FAILED=4 KILLED=5). */
    public static int statusCode(RunStatus status) {
        return status.ordinal() + 1;
    }

    /** The status for MLflow's integer; unknown values read as RUNNING, as MLflow's default. */
    public static RunStatus statusOf(Object code) {
        if (code instanceof Number n && n.intValue() >= 1 && n.intValue() <= RunStatus.values().length) {
            return RunStatus.values()[n.intValue() - 1];
        }
        if (code instanceof String s) {
            for (RunStatus st : RunStatus.values()) {
                if (st.name().equalsIgnoreCase(s)) {
                    return st;
                }
            }
        }
        return RunStatus.RUNNING;
    }

    public boolean terminal() {
        return status != RunStatus.RUNNING && status != RunStatus.SCHEDULED;
    }

    public RunMeta withStatus(RunStatus newStatus, Long newEndTime) {
        return new RunMeta(runId, experimentId, runName, artifactUri, userId, newStatus, startTime,
                newEndTime, lifecycleStage);
    }

    public RunMeta withRunName(String newName) {
        return new RunMeta(runId, experimentId, newName, artifactUri, userId, status, startTime,
                endTime, lifecycleStage);
    }

    /** The fields as MLflow names and types them. */
    public Map<String, Object> toYamlMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("artifact_uri", artifactUri);
        m.put("deleted_time", null);
        m.put("end_time", endTime);
        m.put("entry_point_name", "");
        m.put("experiment_id", experimentId);
        m.put("lifecycle_stage", lifecycleStage);
        m.put("run_id", runId);
        m.put("run_name", runName);
        m.put("run_uuid", runId);
        m.put("source_name", "");
        m.put("source_type", SOURCE_TYPE_LOCAL);
        m.put("source_version", "");
        m.put("start_time", startTime);
        m.put("status", statusCode(status));
        m.put("tags", List.of());
        m.put("user_id", userId);
        return m;
    }

    /** Reads the fields; {@code run_uuid} stands in for a missing {@code run_id} (old stores). */
    public static RunMeta fromYamlMap(Map<String, Object> m) {
        String id = MetaYaml.string(m, "run_id", MetaYaml.string(m, "run_uuid", ""));
        return new RunMeta(
                id,
                MetaYaml.string(m, "experiment_id", ""),
                MetaYaml.string(m, "run_name", ""),
                MetaYaml.string(m, "artifact_uri", ""),
                MetaYaml.string(m, "user_id", ""),
                statusOf(m.get("status")),
                MetaYaml.requiredLong(m, "start_time", 0L),
                MetaYaml.optionalLong(m, "end_time"),
                MetaYaml.string(m, "lifecycle_stage", "active"));
    }
}
