package io.difflab.api;

import org.pf4j.ExtensionPoint;

/** Extension point: a family of β schedules (linear, cosine, ...), selected by {@code schedule.name}. */
public interface NoiseSchedule extends ExtensionPoint, Named {

    /**
     * Builds the schedule for {@code timesteps} steps.
     *
     * @param timesteps T
     * @param config    the validated {@code schedule} section (this extension's {@link #options()})
     */
    DiffusionSchedule build(int timesteps, Config config);
}
