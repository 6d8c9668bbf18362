package io.difflab.kit.guidance;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import java.util.HashMap;
import java.util.Map;

/**
 * A parameter store that hands a forward pass detached views of a trained network's weights, so a
 * backward pass through it computes gradients for its inputs only: no weight gradients are
 * computed or accumulated. Each view shares the weight's storage and is made once per parameter
 * and device.
 */
final class FrozenParameters extends ParameterStore {

    private final Map<String, NDArray> detached = new HashMap<>();

    /** @param manager where weights on another device are copied to */
    FrozenParameters(NDManager manager) {
        super(manager, false);
    }

    @Override
    public synchronized NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray value = super.getValue(parameter, device, training);
        if (value == null) {
            return null;
        }
        return detached.computeIfAbsent(parameter.getId() + "@" + device, k -> value.stopGradient());
    }
}
