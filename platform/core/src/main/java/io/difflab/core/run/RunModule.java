package io.difflab.core.run;

import com.google.inject.AbstractModule;

/** Binds the {@link RunPipeline} {@code difflab run} calls. */
public final class RunModule extends AbstractModule {

    @Override
    protected void configure() {
        // placeholder: the training pipeline replaces this binding
        bind(RunPipeline.class).to(PendingRunPipeline.class);
    }
}
