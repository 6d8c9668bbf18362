package io.difflab.api;

import ai.djl.Device;
import ai.djl.nn.Block;

/**
 * What a guidance head may use: its validated {@code guidance} section, the sampler's schedule,
 * the run's trained networks (e.g. {@code classifier}), on {@code device}.
 */
public record GuidanceContext(Config config, DiffusionSchedule schedule, TrainedNetworks networks, Device device) {

    /** The trained network {@code name}'s block (its parameters hold the trained weights). */
    public Block auxiliary(String name) {
        if (!networks.has(name)) {
            throw new UserError("guidance '" + config.path() + "' needs a trained " + name
                    + " network, but the run has " + networks.names());
        }
        return networks.get(name).block();
    }
}
