package io.difflab.host.run;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.TrainableNetwork;

/** Initializes networks reproducibly: the engine's RNG is seeded from the run seed and the network's name. */
public final class Networks {

    private Networks() {
    }

    /** Initializes {@code network} with its declared input shapes. */
    public static void initialize(TrainableNetwork network, NDManager manager, long seed) {
        Engine.getEngine(manager.getEngine().getEngineName())
                .setRandomSeed((int) ((seed * 31 + network.name().hashCode()) & 0x7fffffffL));
        network.block().initialize(manager, DataType.FLOAT32, network.inputShapes());
    }
}
