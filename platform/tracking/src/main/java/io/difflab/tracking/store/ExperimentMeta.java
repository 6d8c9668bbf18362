package io.difflab.tracking.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An experiment's {@code meta.yaml} in MLflow's file store
 * ({@code FileStore._create_experiment_with_id}: the experiment's fields less its tags).
 *
 * @param experimentId     numeric id, written as a quoted string
 * @param name             unique among active experiments
 * @param artifactLocation {@code file:///.../mlruns/<id>}
 * @param lifecycleStage   {@code active} or {@code deleted}
 * @param creationTime     milliseconds since the epoch
 * @param lastUpdateTime   milliseconds since the epoch
 */
public record ExperimentMeta(String experimentId, String name, String artifactLocation,
                             String lifecycleStage, long creationTime, long lastUpdateTime) {

    /** The fields as MLflow names them. */
    public Map<String, Object> toYamlMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("artifact_location", artifactLocation);
        m.put("creation_time", creationTime);
        m.put("experiment_id", experimentId);
        m.put("last_update_time", lastUpdateTime);
        m.put("lifecycle_stage", lifecycleStage);
        m.put("name", name);
        return m;
    }

    /** Reads the fields; legacy integer ids become strings, as MLflow does. */
    public static ExperimentMeta fromYamlMap(Map<String, Object> m) {
        return new ExperimentMeta(
                MetaYaml.string(m, "experiment_id", ""),
                MetaYaml.string(m, "name", ""),
                MetaYaml.string(m, "artifact_location", ""),
                MetaYaml.string(m, "lifecycle_stage", "active"),
                MetaYaml.requiredLong(m, "creation_time", 0L),
                MetaYaml.requiredLong(m, "last_update_time", 0L));
    }

    public boolean active() {
        return "active".equals(lifecycleStage);
    }
}
