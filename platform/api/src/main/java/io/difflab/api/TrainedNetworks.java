package io.difflab.api;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import java.util.Map;
import java.util.Set;

/**
 * The networks of a run trained so far, by name: the block (its parameters hold the trained
 * weights) and the store of its exponential moving average, which sampling uses. Objectives of
 * later networks reach earlier ones through it (a dVAE's tokens, a CLIP's embeddings), guidance
 * heads their auxiliary networks (a classifier).
 */
public interface TrainedNetworks {

    /** No networks. */
    TrainedNetworks NONE = of(Map.of());

    /** One trained network. */
    record Trained(Block block, ParameterStore averaged) { }

    /** The names of the networks trained so far, in training order. */
    Set<String> names();

    /** The network {@code name}; a {@link UserError} naming what exists when absent. */
    Trained get(String name);

    default boolean has(String name) {
        return names().contains(name);
    }

    /** {@code name}'s forward pass in inference mode with its averaged weights. */
    default NDList forward(String name, NDList inputs) {
        Trained t = get(name);
        return t.block().forward(t.averaged(), inputs, false);
    }

    /** The networks of {@code byName}, in its iteration order. */
    static TrainedNetworks of(Map<String, Trained> byName) {
        Map<String, Trained> copy = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byName));
        return new TrainedNetworks() {
            @Override
            public Set<String> names() {
                return copy.keySet();
            }

            @Override
            public Trained get(String name) {
                Trained t = copy.get(name);
                if (t == null) {
                    throw new UserError("no trained network '" + name + "' in this run (it has " + copy.keySet() + ")");
                }
                return t;
            }
        };
    }
}
