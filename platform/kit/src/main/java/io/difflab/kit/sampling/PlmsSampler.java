package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.Option;
import io.difflab.api.SamplingRequest;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.schedule.TimestepSpacing;
import org.pf4j.Extension;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Pseudo linear multistep sampling, PLMS (Liu et al. 2022, "Pseudo Numerical Methods for Diffusion
 * Models"): the transfer part is DDIM's step φ(x_t, ε', t → t−δ) (their eq. 11), the gradient part
 * the fourth-order Adams–Bashforth combination ε' = (55ε_t − 59ε_{t+δ} + 37ε_{t+2δ} − 9ε_{t+3δ})/24
 * of the last four estimates (eq. 12). Its warm-up is that of the PLMS sampler of Rombach et al.
 * 2022: a pseudo improved Euler step first (ε' = (ε_t + ε(φ(x_t, ε_t), t−δ))/2, one extra estimator
 * call), then the second- and third-order combinations (3ε_t − ε_{t+δ})/2 and
 * (23ε_t − 16ε_{t+δ} + 5ε_{t+2δ})/12. N steps cost N + 1 calls. A plain step count takes DDIM's
 * stride, as their code does.
 */
@Extension
public class PlmsSampler extends ReverseProcessSampler implements SpacedSampler {

    static final boolean DEFAULT_CLIP_DENOISED = true;

    @Override
    public String name() {
        return "plms";
    }

    @Override
    public String description() {
        return "pseudo linear multistep sampling, 4th-order Adams-Bashforth on epsilon (Liu et al. 2022, eq. 12)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.bool("clip_denoised", DEFAULT_CLIP_DENOISED,
                "clip each estimator call's x_0 estimate to [-1, 1] before its epsilon enters the combination"));
    }

    @Override
    public int[] spacing(DiffusionSchedule full, int steps, Config config) {
        return TimestepSpacing.hasStride(full.timesteps(), steps) ? TimestepSpacing.ddim(full.timesteps(), steps)
                : TimestepSpacing.sections(full.timesteps(), steps);
    }

    @Override
    protected Stepper start(SamplingRequest request, GaussianDiffusion diffusion, NDManager history) {
        boolean clip = request.config().getBoolean("clip_denoised");
        DiffusionSchedule schedule = diffusion.schedule();
        Deque<NDArray> previous = new ArrayDeque<>(); // ε of the steps before, newest first, in history
        return (x, t, step, output) -> {
            NDArray eps = DenoisedEstimate.of(diffusion, output, x, t, step, clip).epsilon();
            NDArray combined;
            if (previous.isEmpty()) {
                combined = eps;
                if (step > 0) { // pseudo improved Euler: average with ε at the DDIM proposal
                    NDArray proposal = transfer(schedule, x, eps, step);
                    NDArray tNext = x.getManager().full(new Shape(x.getShape().get(0)), step - 1);
                    NDArray next = DenoisedEstimate.of(diffusion, request.denoiser().predict(proposal, step - 1,
                            request.condition()), proposal, tNext, step - 1, clip).epsilon();
                    combined = eps.add(next).mul(0.5);
                }
            } else {
                Iterator<NDArray> it = previous.iterator();
                NDArray e1 = it.next();
                if (previous.size() == 1) {
                    combined = eps.mul(3).sub(e1).div(2);
                } else if (previous.size() == 2) {
                    combined = eps.mul(23).sub(e1.mul(16)).add(it.next().mul(5)).div(12);
                } else { // Liu et al. 2022, eq. 12
                    NDArray e2 = it.next();
                    combined = eps.mul(55).sub(e1.mul(59)).add(e2.mul(37)).sub(it.next().mul(9)).div(24);
                }
            }
            NDArray kept = eps.duplicate();
            kept.attach(history);
            previous.addFirst(kept);
            if (previous.size() > 3) {
                previous.removeLast().close();
            }
            NDArray predXStart = diffusion.predictXStartFromEps(x, t, combined);
            return new Update(transfer(schedule, x, combined, step), predXStart);
        };
    }

    /** φ(x_t, ε, t → t−δ): x_{t−δ} = √ᾱ_{t−δ}·(x_t − √(1 − ᾱ_t)ε)/√ᾱ_t + √(1 − ᾱ_{t−δ})·ε (Liu et al. 2022, eq. 11). */
    private static NDArray transfer(DiffusionSchedule schedule, NDArray x, NDArray eps, int step) {
        double alphaBar = schedule.alphaCumprod(step);
        double alphaBarPrev = schedule.alphaCumprodPrev(step);
        NDArray predXStart = x.sub(eps.mul(Math.sqrt(1 - alphaBar))).div(Math.sqrt(alphaBar));
        return predXStart.mul(Math.sqrt(alphaBarPrev)).add(eps.mul(Math.sqrt(1 - alphaBarPrev)));
    }
}
