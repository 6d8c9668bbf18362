package io.difflab.kit.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.Parameterization;
import io.difflab.api.TrainingBatch;
import io.difflab.api.VarianceType;
import io.difflab.kit.engine.Scalars;

import java.util.Map;
import java.util.function.Function;

/**
 * L_hybrid = L_simple + λ·L_vlb (Nichol &amp; Dhariwal 2021, sec. 3.1, eq. 16) for a network that
 * outputs its prediction (ε, or x_0 or v: L_simple is then the squared error of that target, see
 * {@link Predictions}) and the raw variance interpolation v (2C channels, see
 * {@link io.difflab.api.EstimatorNetwork}). t from the schedule sampler (uniform by default; a
 * loss-aware one weights each sample by 1/(T·p_t), sec. 3.3); L_vlb is estimated by T·L_t, in bits
 * per dimension as guided-diffusion does, with the mean's gradient stopped: the VLB term sees the
 * detached prediction (as ε), so only v learns from it while L_simple alone drives the mean.
 *
 * <p>Scalar factors go through {@link Scalars} (autograd-safe on DJL's PyTorch engine). Logs
 * {@code train.mse} (L_simple) and {@code train.vlb} (the estimate T·L_t of
 * Σ_{t} L_t, in bits/dim) besides the loss.
 */
public final class HybridLossObjective implements DiffusionObjective {

    /** λ of Nichol &amp; Dhariwal 2021, sec. 3.1. */
    public static final double DEFAULT_VLB_WEIGHT = 0.001;

    private final GaussianDiffusion diffusion;
    private final VariationalBound bound;
    private final double vlbWeight;
    private final ConditionDropout dropout;
    private final Parameterization parameterization;
    private final ScheduleSampler sampler;

    /** The per-sample terms (N): L_simple and the VLB estimate T·L_t in bits/dim. */
    public record Terms(NDArray mse, NDArray vlb) { }

    /**
     * @param diffusion the training schedule's diffusion
     * @param vlbWeight λ, the weight of L_vlb
     */
    public HybridLossObjective(GaussianDiffusion diffusion, double vlbWeight) {
        this(diffusion, vlbWeight, ConditionDropout.NONE);
    }

    /**
     * @param diffusion the training schedule's diffusion
     * @param vlbWeight λ, the weight of L_vlb
     * @param dropout   condition dropout for classifier-free guidance (GLIDE trains L_hybrid with it)
     */
    public HybridLossObjective(GaussianDiffusion diffusion, double vlbWeight, ConditionDropout dropout) {
        this(diffusion, vlbWeight, Parameterization.EPSILON, new UniformScheduleSampler(diffusion.schedule().timesteps()),
                dropout);
    }

    /**
     * @param diffusion        the training schedule's diffusion
     * @param vlbWeight        λ, the weight of L_vlb
     * @param parameterization what the network's first C channels predict, and so L_simple's target
     * @param sampler          how t is drawn; its state is this objective's
     * @param dropout          condition dropout for classifier-free guidance
     */
    public HybridLossObjective(GaussianDiffusion diffusion, double vlbWeight, Parameterization parameterization,
                               ScheduleSampler sampler, ConditionDropout dropout) {
        this.dropout = dropout;
        this.parameterization = parameterization;
        this.sampler = sampler;
        if (!(vlbWeight >= 0)) {
            throw new IllegalArgumentException("the VLB weight must be >= 0, got " + vlbWeight);
        }
        this.diffusion = diffusion;
        this.bound = new VariationalBound(diffusion);
        this.vlbWeight = vlbWeight;
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra) {
        NoisedBatch noised = NoisedBatch.draw(diffusion, batch, sampler);
        NDList inputs = noised.inputs(dropout, batch, extra);
        Terms terms = terms(network.apply(inputs).singletonOrThrow(), batch.images(), noised.xt(), noised.t(),
                noised.noise());
        extra.put("train.mse", terms.mse().mean());
        extra.put("train.vlb", terms.vlb().mean());
        // Nichol & Dhariwal 2021, eq. 16: L_hybrid = L_simple + λ L_vlb
        NDArray perSample = terms.mse().add(Scalars.mul(terms.vlb(), vlbWeight));
        if (sampler.lossAware()) {
            DiffusionObjective.feed(sampler, noised.t(), perSample);
        }
        return noised.weightedMean(perSample);
    }

    /**
     * The two terms for a batch from the network's output (N, 2C, H, W) at x_t = q_sample(x_0, t, ε).
     *
     * @param t the timesteps (N), indices into the training schedule
     */
    public Terms terms(NDArray output, NDArray xStart, NDArray xt, NDArray t, NDArray noise) {
        long channels = xt.getShape().get(1);
        if (output.getShape().dimension() != 4 || output.getShape().get(1) != 2 * channels) {
            throw new IllegalStateException("L_hybrid needs an estimator with learned variance: 2x" + channels
                    + " output channels (epsilon, then v), got " + output.getShape());
        }
        NDArray prediction = output.get(":, :{}", channels);
        NDArray rawV = output.get(":, {}:", channels);
        NDArray mse = SimpleLoss.perSample(Predictions.target(parameterization, diffusion, xStart, t, noise), prediction);
        // the learned range: v in [−1, 1] → fraction (v + 1)/2 (Nichol & Dhariwal 2021, eq. 15);
        // the prediction in the VLB term is detached, so the mean gets no gradient from L_vlb (sec. 3.1)
        NDArray epsilon = Predictions.epsilon(parameterization, diffusion, prediction.stopGradient(), xt, t);
        DenoiserOutput frozenMean = new DenoiserOutput(epsilon, Scalars.mul(rawV.add(1.0), 0.5), null);
        NDArray lt = bound.term(frozenMean, xStart, xt, t, VarianceType.LEARNED_RANGE, false).bits();
        // t uniform over T steps: E[T·L_t] = Σ_t L_t
        return new Terms(mse, Scalars.mul(lt, diffusion.schedule().timesteps()));
    }

    /** λ. */
    public double vlbWeight() {
        return vlbWeight;
    }

    @Override
    public Parameterization parameterization() {
        return parameterization;
    }

    @Override
    public ScheduleSampler scheduleSampler() {
        return sampler;
    }
}
