package io.difflab.api;

import ai.djl.Device;
import ai.djl.nn.Block;

/**
 * What a guidance head may use: its validated {@code guidance} section, the sampler's schedule,
 * the run's trained networks (e.g. {@code classifier}), on {@code device}, and the run's seed, from
 * which a head that draws noise of its own (SDG's q_sample of its reference images) seeds it.
 */
public record GuidanceContext(Config config, DiffusionSchedule schedule, TrainedNetworks networks, Device device,
                              long seed) {

    /** A context with seed 0, for heads that draw no noise of their own. */
    public GuidanceContext(Config config, DiffusionSchedule schedule, TrainedNetworks networks, Device device) {
        this(config, schedule, networks, device, 0L);
    }

    /** The trained network {@code name}'s block (its parameters hold the trained weights). */
    public Block auxiliary(String name) {
        if (!networks.has(name)) {
            throw new UserError("guidance '" + config.path() + "' needs a trained " + name
                    + " network, but the run has " + networks.names());
        }
        return networks.get(name).block();
    }
}
