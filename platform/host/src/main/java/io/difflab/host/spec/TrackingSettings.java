package io.difflab.host.spec;

import io.difflab.api.Config;

/**
 * The spec's {@code tracking} section.
 *
 * @param uri        the tracking server; empty means MLFLOW_TRACKING_URI if set, else the local store ./mlruns
 * @param experiment the MLflow experiment name
 */
public record TrackingSettings(String uri, String experiment) {

    static TrackingSettings of(Config c) {
        return new TrackingSettings(c.getString("uri"), c.getString("experiment"));
    }
}
