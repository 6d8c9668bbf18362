package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.Sampler;
import io.difflab.api.SamplingRequest;
import io.difflab.api.SamplingStep;
import io.difflab.kit.diffusion.GaussianDiffusion;

/**
 * The walk shared by the reverse-process samplers: x_T ~ N(0, I) from the request's noise source
 * (or a given x_T, e.g. from {@link DdimInversion}), then one update per step of the (possibly
 * respaced) schedule from its last step down to 0, each after one denoiser call at that step (an
 * update may call the denoiser again, as Heun's does). Each step's arrays live in a sub-manager;
 * what a multistep method keeps across steps lives in the walk's history manager, closed at its
 * end. After every step the fixed {@link SamplingStep} payload is reported, whose arrays are valid
 * during the callback only (duplicate them to keep them).
 */
public abstract class ReverseProcessSampler implements Sampler {

    /** The result of one update: the next sample x_{t−1} and the x_0 estimate it used. */
    protected record Update(NDArray x, NDArray predXStart) { }

    /** One walk's updates; a multistep method keeps its history in it. */
    @FunctionalInterface
    protected interface Stepper {
        /**
         * One reverse step from x_t at {@code step} (also given as the (N) index array {@code t}),
         * with the denoiser's output for it. New arrays belong in x's manager, the step's sub-manager.
         */
        Update update(NDArray x, NDArray t, int step, DenoiserOutput output);
    }

    @Override
    public final NDArray sample(SamplingRequest request) {
        return sampleFrom(request, request.noise().normal(request.manager(), request.shape()));
    }

    /** The walk from a given x_T down to x_0; x_T is consumed (closed with the first step's arrays). */
    public final NDArray sampleFrom(SamplingRequest request, NDArray xT) {
        DiffusionSchedule schedule = request.schedule();
        GaussianDiffusion diffusion = new GaussianDiffusion(schedule);
        int[] timestepMap = schedule.timestepMap();
        int total = schedule.timesteps();
        NDManager manager = request.manager();
        long n = xT.getShape().get(0);
        NDArray x = xT;
        try (NDManager history = manager.newSubManager()) {
            Stepper stepper = start(request, diffusion, history);
            for (int index = 0; index < total; index++) {
                int step = total - 1 - index;
                try (NDManager sub = manager.newSubManager()) {
                    x.attach(sub);
                    NDArray t = sub.full(new Shape(n), step);
                    DenoiserOutput output = request.denoiser().predict(x, step, request.condition());
                    Update update = stepper.update(x, t, step, output);
                    NDArray next = update.x();
                    next.attach(manager);
                    if (request.onStep() != null) {
                        request.onStep().accept(new SamplingStep(index, total, timestepMap[step], next,
                                update.predXStart()));
                    }
                    x = next;
                }
            }
        }
        return x;
    }

    /**
     * The updates of one walk over {@code diffusion}'s schedule; arrays kept from step to step
     * belong in {@code history} (attach them there, close what is no longer needed).
     */
    protected abstract Stepper start(SamplingRequest request, GaussianDiffusion diffusion, NDManager history);
}
