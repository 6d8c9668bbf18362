package io.difflab.host.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.difflab.api.Progress;
import io.difflab.api.RunContext;
import jakarta.inject.Singleton;

/** Binds the host services extensions receive: progress bars and the run in progress. */
public final class HostServicesModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(RunContext.class).toProvider(RunContextHolder.class);
    }

    @Provides
    @Singleton
    Progress.Factory progressFactory() {
        return ConsoleProgressFactory.forStderr();
    }
}
