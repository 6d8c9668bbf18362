package io.difflab.host.run;

import io.difflab.api.tracking.Tracker;

/** Opens the tracker a run records to, from the spec's {@code tracking.uri} (bound by the CLI to MLflow). */
public interface TrackerSource {

    /** The tracker for {@code specUri} ({@code ""}: {@code MLFLOW_TRACKING_URI}, else the local store). */
    Tracker open(String specUri);
}
