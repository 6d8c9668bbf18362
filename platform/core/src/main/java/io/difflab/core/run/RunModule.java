package io.difflab.core.run;

import com.google.inject.AbstractModule;

/** Binds the {@link RunPipeline} {@code difflab run} calls; the caller binds a {@link TrackerSource}. */
public final class RunModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(RunPipeline.class).to(DefaultRunPipeline.class);
    }
}
