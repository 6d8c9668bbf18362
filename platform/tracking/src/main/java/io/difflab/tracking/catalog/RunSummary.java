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
 * @param params        params by key
 * @param tags          tags by key
 * @param finalMetrics  the latest value of each metric (largest step, then timestamp)
 */
public record RunSummary(String runId, String experimentName, String runName, RunStatus status,
                         long startTime, Long endTime, Map<String, String> params,
                         Map<String, String> tags, Map<String, Double> finalMetrics) { }
