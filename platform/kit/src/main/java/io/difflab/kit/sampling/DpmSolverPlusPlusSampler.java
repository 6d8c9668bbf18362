package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.Option;
import io.difflab.api.SamplingRequest;
import io.difflab.kit.diffusion.GaussianDiffusion;
import io.difflab.kit.schedule.TimestepSpacing;
import org.pf4j.Extension;

import java.util.List;

/**
 * DPM-Solver++(2M), Lu et al. 2022 ("DPM-Solver++", Alg. 2): the multistep second-order solver of
 * the probability-flow ODE in its data-prediction form. With α_t = √ᾱ_t, σ_t = √(1 − ᾱ_t),
 * λ_t = log(α_t/σ_t) and h_i = λ_{t_i} − λ_{t_{i−1}}, each step is
 * x̃_{t_i} = (σ_{t_i}/σ_{t_{i−1}})·x̃_{t_{i−1}} − α_{t_i}(e^{−h_i} − 1)·D_i, where D_i is the x̂_0 of
 * the first step and then (1 + 1/(2r_i))·x̂_0(t_{i−1}) − 1/(2r_i)·x̂_0(t_{i−2}) with r_i = h_{i−1}/h_i.
 * The last step, to σ = 0, is first order (x = x̂_0, as k-diffusion's {@code sample_dpmpp_2m}).
 * One estimator call per step; a plain step count is spaced uniformly in λ (their choice for
 * low-resolution images). x̂_0 may be clipped (the paper's thresholding, sec. 5).
 */
@Extension
public class DpmSolverPlusPlusSampler extends ReverseProcessSampler implements SpacedSampler {

    static final boolean DEFAULT_CLIP_DENOISED = true;

    @Override
    public String name() {
        return "dpm-solver++";
    }

    @Override
    public String description() {
        return "DPM-Solver++(2M), multistep 2nd-order data-prediction ODE solver (Lu et al. 2022, Alg. 2)";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.bool("clip_denoised", DEFAULT_CLIP_DENOISED,
                "clip each step's x_0 estimate to [-1, 1] (thresholding; false: the plain ODE)"));
    }

    @Override
    public int[] spacing(DiffusionSchedule full, int steps, Config config) {
        return TimestepSpacing.logSnr(full, steps);
    }

    /** λ = log(α/σ) at a step of the schedule. */
    private static double lambda(DiffusionSchedule schedule, int step) {
        return 0.5 * Math.log(schedule.alphaCumprod(step) / (1.0 - schedule.alphaCumprod(step)));
    }

    @Override
    protected Stepper start(SamplingRequest request, GaussianDiffusion diffusion, NDManager history) {
        boolean clip = request.config().getBoolean("clip_denoised");
        DiffusionSchedule schedule = diffusion.schedule();
        NDArray[] previous = new NDArray[1]; // x̂_0 of the step before, in the history manager
        return (x, t, step, output) -> {
            DenoisedEstimate e = DenoisedEstimate.of(diffusion, output, x, t, step, clip);
            NDArray next;
            if (step == 0) {
                next = e.predXStart(); // to σ = 0: e^{−h} = 0, x = x̂_0
            } else {
                double h = lambda(schedule, step - 1) - lambda(schedule, step);
                NDArray d = e.predXStart();
                if (previous[0] != null) {
                    double r = (lambda(schedule, step) - lambda(schedule, step + 1)) / h;
                    // Lu et al. 2022, Alg. 2: D_i = (1 + 1/(2r)) x̂_0(t_{i−1}) − 1/(2r) x̂_0(t_{i−2})
                    d = d.mul(1 + 1 / (2 * r)).sub(previous[0].mul(1 / (2 * r)));
                }
                double sigmaRatio = schedule.sqrtOneMinusAlphaCumprod(step - 1) / schedule.sqrtOneMinusAlphaCumprod(step);
                next = x.mul(sigmaRatio).sub(d.mul(schedule.sqrtAlphaCumprod(step - 1) * Math.expm1(-h)));
            }
            if (previous[0] != null) {
                previous[0].close();
            }
            previous[0] = e.predXStart().duplicate();
            previous[0].attach(history);
            return new Update(next, e.predXStart());
        };
    }
}
