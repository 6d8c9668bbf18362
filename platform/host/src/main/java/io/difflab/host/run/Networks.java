package io.difflab.host.run;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.AuxiliaryNetwork;
import io.difflab.api.EstimatorNetwork;

/** Initializes networks reproducibly: the engine's RNG is seeded from the run seed and the network's name. */
public final class Networks {

    private Networks() {
    }

    /** Initializes an estimator for its input convention (x_t, t[, labels]). */
    public static void initialize(EstimatorNetwork network, NDManager manager, long seed) {
        seed(manager, seed, "estimator");
        Shape x = network.spec().imageShape().batch(1);
        if (network.spec().conditional()) {
            network.block().initialize(manager, DataType.FLOAT32, x, new Shape(1), new Shape(1));
        } else {
            network.block().initialize(manager, DataType.FLOAT32, x, new Shape(1));
        }
    }

    /** Initializes an auxiliary network with its declared input shapes. */
    public static void initialize(AuxiliaryNetwork network, NDManager manager, long seed) {
        seed(manager, seed, network.name());
        network.block().initialize(manager, DataType.FLOAT32, network.inputShapes());
    }

    private static void seed(NDManager manager, long seed, String name) {
        Engine.getEngine(manager.getEngine().getEngineName())
                .setRandomSeed((int) ((seed * 31 + name.hashCode()) & 0x7fffffffL));
    }
}
