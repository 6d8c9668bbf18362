package io.difflab.host.run;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import io.difflab.host.spec.SpecPreflight;

/**
 * Binds the {@link RunPipeline} {@code difflab run} calls and the {@link SpecPreflight} that
 * assembles every spec when it is validated. Where runs are recorded is the
 * caller's to bind ({@link TrackerSource}: the CLI binds MLflow); a host without one can list,
 * validate and evaluate plugins but not run.
 */
public final class RunModule extends AbstractModule {

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), TrackerSource.class);
        bind(RunPipeline.class).to(DefaultRunPipeline.class);
        bind(SpecPreflight.class).to(AssemblyPreflight.class);
    }
}
