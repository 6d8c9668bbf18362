package io.difflab.tracking.remote;

import io.difflab.tracking.MlflowLimits;
import org.mlflow.api.proto.Service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code runs/log-batch} request being filled within MLflow's limits: at most 100 params,
 * 100 tags, 1000 metrics and 1000 entities in all, and well under the 1 MB a server accepts.
 * Remembers, per metric key, the file offset its last metric came from.
 */
final class LogBatch {

    /** JSON overhead of one entity (field names, quotes, timestamp, step). */
    private static final int ENTITY_OVERHEAD = 96;

    final List<Service.Param> params = new ArrayList<>();
    final List<Service.RunTag> tags = new ArrayList<>();
    final List<Service.Metric> metrics = new ArrayList<>();
    final Map<String, Long> metricEnds = new LinkedHashMap<>();
    private int bytes;

    boolean isEmpty() {
        return params.isEmpty() && tags.isEmpty() && metrics.isEmpty();
    }

    int entities() {
        return params.size() + tags.size() + metrics.size();
    }

    /** Adds a param when it fits; returns whether it did. */
    boolean addParam(String key, String value) {
        int size = size(key, value);
        if (params.size() >= MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH || !fits(size)) {
            return false;
        }
        params.add(Service.Param.newBuilder().setKey(key).setValue(value).build());
        bytes += size;
        return true;
    }

    /** Adds a tag when it fits; returns whether it did. */
    boolean addTag(String key, String value) {
        int size = size(key, value);
        if (tags.size() >= MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH || !fits(size)) {
            return false;
        }
        tags.add(Service.RunTag.newBuilder().setKey(key).setValue(value).build());
        bytes += size;
        return true;
    }

    /** How many more metrics fit. */
    int metricRoom() {
        int room = Math.min(MlflowLimits.MAX_METRICS_PER_BATCH - metrics.size(),
                MlflowLimits.MAX_ENTITIES_PER_BATCH - entities());
        return Math.max(0, Math.min(room, (MlflowLimits.MAX_BATCH_BYTES - bytes) / (2 * ENTITY_OVERHEAD)));
    }

    /** Adds a metric point (call {@link #metricRoom()} first). */
    void addMetric(String key, double value, long timestamp, long step) {
        metrics.add(Service.Metric.newBuilder().setKey(key).setValue(value)
                .setTimestamp(timestamp).setStep(step).build());
        bytes += size(key, "") + 32;
    }

    private boolean fits(int size) {
        return entities() < MlflowLimits.MAX_ENTITIES_PER_BATCH
                && (isEmpty() || bytes + size <= MlflowLimits.MAX_BATCH_BYTES);
    }

    private static int size(String key, String value) {
        return key.getBytes(StandardCharsets.UTF_8).length + 2 * value.getBytes(StandardCharsets.UTF_8).length
                + ENTITY_OVERHEAD;
    }
}
