package io.difflab.cli;

import com.google.inject.AbstractModule;
import io.difflab.host.run.TrackerSource;
import io.difflab.tracking.TrackerFactory;
import io.difflab.tracking.TrackingSettings;

/** Binds how runs find their tracker: MLflow through the tracking module, from the spec's {@code tracking.uri}. */
final class TrackingSourceModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(TrackerSource.class).toInstance(uri -> new TrackerFactory(TrackingSettings.of(uri)).create());
    }
}
