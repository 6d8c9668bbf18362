package io.difflab.tracking.catalog;

import io.difflab.api.tracking.RunStatus;

import java.util.Map;

/**
 * A run as the {@code runs} and {@code compare} commands show it, from either store.
 *
 * @param runId         the run id
 * @param experimentName the experiment's name
 * @param runName       the run name
 * @param status        the run's state
 * @param startTime     milliseconds since the epoch
 * @param endTime       milliseconds since the epoch, or null while running
 * @param params        params by key: the values in force, i.e. a resumed run's {@value #PARAM_TAG_PREFIX}
 *                      tags over the params it started with (MLflow params never change)
 * @param tags          tags by key
 * @param finalMetrics  the latest value of each metric (largest step, then timestamp)
 */
public record RunSummary(String runId, String experimentName, String runName, RunStatus status,
                         long startTime, Long endTime, Map<String, String> params,
                         Map<String, String> tags, Map<String, Double> finalMetrics) {

    /** Tags holding a param's value after a resume changed it. */
    public static final String PARAM_TAG_PREFIX = "difflab.param.";

    /** The params in force: {@code params} with the values of the {@value #PARAM_TAG_PREFIX} tags over them. */
    public static Map<String, String> effectiveParams(Map<String, String> params, Map<String, String> tags) {
        Map<String, String> out = new java.util.TreeMap<>(params);
        tags.forEach((k, v) -> {
            if (k.startsWith(PARAM_TAG_PREFIX)) {
                String key = k.substring(PARAM_TAG_PREFIX.length());
                if ("null".equals(v)) {
                    out.remove(key);
                } else {
                    out.put(key, v);
                }
            }
        });
        return out;
    }
}
