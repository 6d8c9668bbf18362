package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.difflab.api.Condition;
import io.difflab.api.ConditionInput;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.EstimatorSpec;
import io.difflab.api.StepGuidance;
import io.difflab.kit.engine.BatchShards;

/**
 * Brings an {@link EstimatorNetwork} to the {@link Denoiser} contract for one (possibly respaced)
 * schedule, as k-diffusion's adapters do: the step index becomes the original timestep through
 * the schedule's timestep map, an x_0 or v prediction becomes ε, and a learned-variance output
 * v in [−1, 1] becomes the fraction (v + 1)/2 (Nichol &amp; Dhariwal 2021, eq. 15). A conditional
 * network gets the arrays of the conditions its spec lists, in that order, from the batch's
 * {@link Condition} (which may hold more, e.g. a guidance head's own); each must be there (∅ rows
 * are the kind's null value).
 *
 * <p>The forward pass runs in inference mode; its intermediates live in a sub-manager and only
 * the outputs are attached to the manager of x_t.
 */
public final class EstimatorDenoiser implements Denoiser {

    private final EstimatorNetwork network;
    private final ParameterStore parameters;
    private final DiffusionSchedule schedule;
    private final int[] timestepMap;

    public EstimatorDenoiser(EstimatorNetwork network, ParameterStore parameters, DiffusionSchedule schedule) {
        this.network = network;
        this.parameters = parameters;
        this.schedule = schedule;
        this.timestepMap = schedule.timestepMap();
    }

    @Override
    public DenoiserOutput predict(NDArray xt, int t, Condition condition) {
        EstimatorSpec spec = network.spec();
        NDManager caller = xt.getManager();
        long n = xt.getShape().get(0);
        try (NDManager sub = caller.newSubManager()) {
            xt.tempAttach(sub);
            NDList inputs = new NDList(xt, sub.full(new Shape(n), (float) timestepMap[t]));
            for (ConditionInput input : spec.conditions()) {
                if (!condition.has(input.name())) {
                    throw new IllegalArgumentException("the estimator consumes condition '" + input.name()
                            + "', but the batch has " + condition.names());
                }
                inputs.addAll(condition.get(input.name()).arrays());
            }
            // on a multi-core CPU the batch's shards run side by side (BatchShards says when)
            NDArray out = BatchShards.forward(network.block(), parameters, inputs).singletonOrThrow();
            long channels = xt.getShape().get(1);
            long expected = spec.learnsVariance() ? 2 * channels : channels;
            if (out.getShape().get(1) != expected) {
                throw new IllegalStateException("the estimator returned " + out.getShape().get(1)
                        + " channels for x_t of " + channels + "; expected " + expected);
            }
            NDArray prediction = spec.learnsVariance() ? out.get(":, :{}", channels) : out;
            NDArray epsilon = toEpsilon(prediction, xt, t);
            NDArray fraction = null;
            if (spec.learnsVariance()) {
                fraction = out.get(":, {}:", channels).add(1.0).div(2.0);
                fraction.attach(caller);
            }
            epsilon.attach(caller);
            return new DenoiserOutput(epsilon, fraction, StepGuidance.NONE);
        }
    }

    /** ε from the network's prediction at step t, by eq. 4 of Ho et al. 2020 and the definition of v. */
    private NDArray toEpsilon(NDArray prediction, NDArray xt, int t) {
        double sqrtAlphaBar = schedule.sqrtAlphaCumprod(t);
        double sqrtOneMinusAlphaBar = schedule.sqrtOneMinusAlphaCumprod(t);
        return switch (network.parameterization()) {
            case EPSILON -> prediction;
            // ε = (x_t − √ᾱ_t x_0) / √(1 − ᾱ_t)
            case X0 -> xt.sub(prediction.mul(sqrtAlphaBar)).div(sqrtOneMinusAlphaBar);
            // v = √ᾱ_t ε − √(1 − ᾱ_t) x_0  ⇒  ε = √ᾱ_t v + √(1 − ᾱ_t) x_t (Salimans & Ho 2022)
            case V -> prediction.mul(sqrtAlphaBar).add(xt.mul(sqrtOneMinusAlphaBar));
        };
    }
}
