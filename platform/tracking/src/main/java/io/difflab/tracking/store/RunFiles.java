package io.difflab.tracking.store;

import java.nio.file.Path;

/**
 * The files of one run folder {@code mlruns/<experiment>/<run>/}: MLflow's {@code meta.yaml},
 * {@code metrics/}, {@code params/}, {@code tags/}, {@code artifacts/}, and difflab's own
 * {@code .difflab/} (owner, temporary files, sync state), which MLflow never reads.
 *
 * @param dir the run folder
 */
public record RunFiles(Path dir) {

    public String runId() {
        return dir.getFileName().toString();
    }

    public Path meta() {
        return dir.resolve(FileStore.META);
    }

    public Path metricsDir() {
        return dir.resolve("metrics");
    }

    public Path paramsDir() {
        return dir.resolve("params");
    }

    public Path tagsDir() {
        return dir.resolve("tags");
    }

    public Path artifactsDir() {
        return dir.resolve("artifacts");
    }

    /** Metric, param and tag keys may hold slashes: MLflow stores them as sub-folders. */
    public Path metric(String key) {
        return metricsDir().resolve(key);
    }

    public Path param(String key) {
        return paramsDir().resolve(key);
    }

    public Path tag(String key) {
        return tagsDir().resolve(key);
    }

    /** difflab's private folder inside the run. */
    public Path privateDir() {
        return dir.resolve(".difflab");
    }

    /** Where temporary files wait for their atomic rename. */
    public Path tmpDir() {
        return privateDir().resolve("tmp");
    }

    /** Which process is writing the run. */
    public Path ownerFile() {
        return privateDir().resolve("owner");
    }
}
