package io.difflab.api;

import ai.djl.Device;
import ai.djl.nn.Block;

import java.util.Map;

/**
 * What a guidance head may use: its validated {@code guidance} section, the sampler's schedule,
 * and the auxiliary networks the model family trained (e.g. {@code classifier}), on {@code device}.
 */
public record GuidanceContext(Config config, DiffusionSchedule schedule, Map<String, Block> auxiliary,
                              Device device) {

    public GuidanceContext {
        auxiliary = Map.copyOf(auxiliary);
    }

    /** The auxiliary network named {@code name}, or a {@link UserError} naming what exists. */
    public Block auxiliary(String name) {
        Block b = auxiliary.get(name);
        if (b == null) {
            throw new UserError("guidance '" + config.path() + "' needs a trained " + name
                    + " network, but the model family provides " + auxiliary.keySet());
        }
        return b;
    }
}
