package io.difflab.kit.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import java.util.HashMap;
import java.util.Map;

/**
 * The exponential moving average of a block's weights, θ̄ ← d·θ̄ + (1−d)·θ (Ho et al. 2020,
 * App. B uses d = 0.9999), which sampling uses instead of the raw weights.
 */
public final class WeightEma {

    private final PairList<String, Parameter> parameters;
    private final PairList<String, NDArray> averages = new PairList<>();
    private final Map<String, NDArray> byParameterId = new HashMap<>();

    /** Starts the average at the current weights; the copies live in {@code manager}. */
    public WeightEma(PairList<String, Parameter> parameters, NDManager manager) {
        this.parameters = parameters;
        for (Pair<String, Parameter> p : parameters) {
            NDArray copy = p.getValue().getArray().duplicate();
            copy.attach(manager);
            averages.add(p.getKey(), copy);
            byParameterId.put(p.getValue().getId(), copy);
        }
    }

    /** One update with decay {@code decay}, in place. */
    public void update(double decay) {
        for (int i = 0; i < parameters.size(); i++) {
            NDArray avg = averages.valueAt(i);
            NDArray w = parameters.valueAt(i).getArray();
            try (NDManager scratch = avg.getManager().newSubManager()) {
                // the detached view lands on the weight's manager, which lives as long as the model:
                // it is scratch too, or every step would leave one handle per parameter behind
                NDArray detached = w.stopGradient();
                detached.attach(scratch);
                NDArray delta = detached.sub(avg);
                delta.attach(scratch);
                avg.addi(delta.muli(1.0 - decay));
            }
        }
    }

    /**
     * A parameter store that hands the averaged weights to a forward pass in place of the raw
     * ones, for sampling and evaluation.
     */
    public ParameterStore parameterStore(NDManager manager) {
        return new ParameterStore(manager, false) {
            @Override
            public NDArray getValue(Parameter parameter, Device device, boolean training) {
                NDArray avg = parameter == null ? null : byParameterId.get(parameter.getId());
                return avg != null ? avg : super.getValue(parameter, device, training);
            }
        };
    }

    /** The averages to checkpoint. */
    public NDList state() {
        return ParameterStates.snapshot(averages, "ema.");
    }

    /** Restores averages written by {@link #state()}. */
    public void restore(NDList state) {
        ParameterStates.restore(averages, state, "ema.");
    }
}
