package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Config;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.Sampler;
import io.difflab.api.SamplingRequest;
import io.difflab.api.SamplingStep;
import io.difflab.kit.diffusion.GaussianDiffusion;

/**
 * The walk shared by the reverse-process samplers: x_T ~ N(0, I) from the request's noise source,
 * then one update per step of the (possibly respaced) schedule from its last step down to 0.
 * Each step's arrays live in a sub-manager; after every step the fixed {@link SamplingStep}
 * payload is reported, whose arrays are valid during the callback only (duplicate them to keep
 * them).
 */
public abstract class ReverseProcessSampler implements Sampler {

    /** The result of one update: the next sample x_{t−1} and the x_0 estimate it used. */
    protected record Update(NDArray x, NDArray predXStart) { }

    @Override
    public final NDArray sample(SamplingRequest request) {
        DiffusionSchedule schedule = request.schedule();
        GaussianDiffusion diffusion = new GaussianDiffusion(schedule);
        int[] timestepMap = schedule.timestepMap();
        int total = schedule.timesteps();
        NDManager manager = request.manager();
        long n = request.shape().get(0);
        NDArray x = request.noise().normal(manager, request.shape());
        for (int index = 0; index < total; index++) {
            int step = total - 1 - index;
            try (NDManager sub = manager.newSubManager()) {
                x.attach(sub);
                NDArray t = sub.full(new Shape(n), step);
                DenoiserOutput output = request.denoiser().predict(x, step, request.condition());
                Update update = update(request, diffusion, x, t, step, output);
                NDArray next = update.x();
                next.attach(manager);
                if (request.onStep() != null) {
                    request.onStep().accept(new SamplingStep(index, total, timestepMap[step], next,
                            update.predXStart()));
                }
                x = next;
            }
        }
        return x;
    }

    /**
     * One reverse step from x_t at {@code step} (also given as the (N) index array {@code t}),
     * with the denoiser's output for it. New arrays belong in x's manager, the step's sub-manager.
     */
    protected abstract Update update(SamplingRequest request, GaussianDiffusion diffusion, NDArray x,
                                     NDArray t, int step, DenoiserOutput output);
}
