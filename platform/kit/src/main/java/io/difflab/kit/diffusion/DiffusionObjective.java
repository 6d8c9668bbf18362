package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.difflab.api.Parameterization;
import io.difflab.api.TrainingObjective;

import java.util.Map;

/**
 * A noise estimator's training objective: it trains the network for one {@link Parameterization}
 * (checked against the estimator's by {@link io.difflab.kit.model.DiffusionRecipe}) and draws t
 * with a {@link ScheduleSampler}, whose state is the objective's checkpoint state.
 */
public interface DiffusionObjective extends TrainingObjective {

    /** What the trained network must predict. */
    Parameterization parameterization();

    /** How t is drawn. */
    ScheduleSampler scheduleSampler();

    @Override
    default Map<String, String> state() {
        return scheduleSampler().state();
    }

    @Override
    default void restore(Map<String, String> state) {
        scheduleSampler().restore(state);
    }

    /** Gives a loss-aware sampler the per-sample losses (N) at the timesteps t (N) drawn for them. */
    static void feed(ScheduleSampler sampler, NDArray t, NDArray perSample) {
        int[] steps = t.toType(DataType.INT32, false).toIntArray();
        float[] losses = perSample.stopGradient().toType(DataType.FLOAT32, false).toFloatArray();
        double[] values = new double[losses.length];
        for (int i = 0; i < losses.length; i++) {
            values[i] = losses[i];
        }
        sampler.update(steps, values);
    }
}
