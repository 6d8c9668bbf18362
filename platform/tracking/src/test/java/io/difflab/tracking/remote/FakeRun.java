package io.difflab.tracking.remote;

import io.difflab.tracking.MlflowLimits;
import org.mlflow.api.proto.Service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A run held by {@link MlflowContractServer}, with the checks MLflow's server makes on log-batch. */
public final class FakeRun {

    private static final Pattern VALID_KEY = Pattern.compile("^[/\\w.\\- ]*$");

    public final String id;
    public final String experimentId;
    public final String runName;
    public final long startTime;
    public final String userId;
    public final Map<String, String> tags = new LinkedHashMap<>();
    public final Map<String, String> params = new LinkedHashMap<>();
    public final List<Service.Metric> metrics = new ArrayList<>();
    public Service.RunStatus status = Service.RunStatus.RUNNING;
    public Long endTime;

    FakeRun(String id, Service.CreateRun req) {
        this.id = id;
        this.experimentId = req.getExperimentId();
        this.runName = req.getRunName();
        this.startTime = req.getStartTime();
        this.userId = req.getUserId();
        req.getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
    }

    /** Applies a log-batch as MLflow does, refusing what MLflow refuses. */
    void apply(Service.LogBatch batch, int bytes) {
        check(batch.getParamsCount() <= MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH, "too many params: " + batch.getParamsCount());
        check(batch.getTagsCount() <= MlflowLimits.MAX_PARAMS_TAGS_PER_BATCH, "too many tags: " + batch.getTagsCount());
        check(batch.getMetricsCount() <= MlflowLimits.MAX_METRICS_PER_BATCH, "too many metrics: " + batch.getMetricsCount());
        check(batch.getParamsCount() + batch.getTagsCount() + batch.getMetricsCount()
                <= MlflowLimits.MAX_ENTITIES_PER_BATCH, "too many entities");
        check(bytes <= 1_000_000, "request of " + bytes + " bytes");
        for (Service.Param p : batch.getParamsList()) {
            check(VALID_KEY.matcher(p.getKey()).matches(), "invalid param key " + p.getKey());
            check(p.getValue().length() <= MlflowLimits.MAX_PARAM_VALUE_LENGTH, "param value too long: " + p.getKey());
            String old = params.get(p.getKey());
            check(old == null || old.equals(p.getValue()), "changing param " + p.getKey());
        }
        for (Service.RunTag t : batch.getTagsList()) {
            check(t.getValue().length() <= MlflowLimits.MAX_TAG_VALUE_LENGTH, "tag value too long: " + t.getKey());
        }
        for (Service.Metric m : batch.getMetricsList()) {
            check(VALID_KEY.matcher(m.getKey()).matches(), "invalid metric key " + m.getKey());
            check(m.hasTimestamp() && m.hasStep(), "metric without timestamp or step");
        }
        batch.getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
        batch.getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
        metrics.addAll(batch.getMetricsList());
    }

    public List<Service.Metric> history(String key) {
        return metrics.stream().filter(m -> m.getKey().equals(key)).toList();
    }

    Service.Run toProto() {
        Service.RunInfo.Builder info = Service.RunInfo.newBuilder().setRunId(id).setRunUuid(id)
                .setExperimentId(experimentId).setRunName(runName).setUserId(userId).setStatus(status)
                .setStartTime(startTime).setLifecycleStage("active")
                .setArtifactUri("mlflow-artifacts:/" + experimentId + "/" + id + "/artifacts");
        if (endTime != null) {
            info.setEndTime(endTime);
        }
        Service.RunData.Builder data = Service.RunData.newBuilder();
        tags.forEach((k, v) -> data.addTags(Service.RunTag.newBuilder().setKey(k).setValue(v)));
        params.forEach((k, v) -> data.addParams(Service.Param.newBuilder().setKey(k).setValue(v)));
        Map<String, Service.Metric> latest = new LinkedHashMap<>();
        Comparator<Service.Metric> order = Comparator.comparingLong(Service.Metric::getStep)
                .thenComparingLong(Service.Metric::getTimestamp);
        metrics.forEach(m -> latest.merge(m.getKey(), m, (a, b) -> order.compare(a, b) >= 0 ? a : b));
        latest.values().forEach(data::addMetrics);
        return Service.Run.newBuilder().setInfo(info).setData(data).build();
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new MlflowContractServer.ContractViolation(400, "INVALID_PARAMETER_VALUE", message);
        }
    }
}
