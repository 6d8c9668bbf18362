package io.difflab.tracking;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.difflab.api.tracking.Tracker;
import jakarta.inject.Singleton;

/**
 * Binds the {@link Tracker} host service that the trainer, samplers and metrics log through:
 * the local store or a server, as {@link TrackerFactory} decides from the settings. Configuring
 * the module creates nothing; the tracker is built on first injection and writes or connects
 * only when a run starts.
 */
public final class TrackingModule extends AbstractModule {

    private final TrackingSettings settings;

    public TrackingModule(TrackingSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(TrackingSettings.class).toInstance(settings);
    }

    @Provides
    @Singleton
    TrackerFactory trackerFactory(TrackingSettings s) {
        return new TrackerFactory(s);
    }

    @Provides
    @Singleton
    Tracker tracker(TrackerFactory factory) {
        return factory.create();
    }
}
