package io.difflab.plugins.dalle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.TrainingBatch;
import io.difflab.api.TrainingObjective;
import io.difflab.kit.engine.Scalars;

import java.util.Map;
import java.util.function.Function;

/**
 * The dVAE's loss, the negative evidence lower bound of Ramesh et al. 2021, eq. 1 (the survey's
 * eq. 13) with the prior fixed to the uniform distribution over the K codes at each of the h·w grid
 * positions, per image dimension:
 * [Σ_pixels (x − x̂)²/(2σ²) + β_s · Σ_positions KL(q(z|x) ‖ U(K))] / (C·H·W),
 * where x̂ decodes a Gumbel-softmax sample of q at temperature τ_s. τ_s is annealed from 1 to 1/16
 * and β_s raised from 0 to β as functions of the training step s (App. A.2). The likelihood is a
 * Gaussian of fixed σ, where the paper uses its logit-Laplace distribution.
 *
 * <p>Logged besides the loss: {@code train.recon_mse} (mean squared error per pixel, images in
 * [−1, 1]), {@code train.kl} (nats per grid position), {@code train.perplexity} (codebook usage:
 * exp of the entropy of the batch's argmax codes, between 1 and K), {@code train.temperature} and
 * {@code train.kl_weight}.
 */
final class DvaeObjective implements TrainingObjective {

    private final DiscreteVae dvae;
    private final Anneal temperature;
    private final Anneal klWeight;
    private final double sigma;

    DvaeObjective(DiscreteVae dvae, Anneal temperature, Anneal klWeight, double sigma) {
        this.dvae = dvae;
        this.temperature = temperature;
        this.klWeight = klWeight;
        this.sigma = sigma;
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra) {
        NDManager m = batch.manager();
        NDArray x = batch.images();
        long n = x.getShape().get(0);
        Shape codes = new Shape(n, dvae.codebookSize(), dvae.gridHeight(), dvae.gridWidth());
        NDArray gumbel = GumbelSoftmax.gumbel(batch.noise().uniform(m, codes.size()).reshape(codes));
        double tau = temperature.at(batch.step());
        double beta = klWeight.at(batch.step());
        NDList out = network.apply(new NDList(x, gumbel, m.create(new float[] {(float) tau})));
        NDArray logits = out.get(0);
        NDArray reconstruction = out.get(2);
        long dimensions = x.getShape().size() / n;
        NDArray squared = reconstruction.sub(x).square();
        NDArray kl = GumbelSoftmax.klToUniform(logits, 1);
        // per image: Σ (x − x̂)²/(2σ²) + β Σ KL, then per dimension and averaged over the batch
        NDArray nll = Scalars.div(squared.sum(), 2 * sigma * sigma);
        NDArray loss = Scalars.div(nll.add(Scalars.mul(kl.sum(), beta)), (double) n * dimensions);
        extra.put("train.recon_mse", squared.mean());
        extra.put("train.kl", kl.mean());
        extra.put("train.perplexity", perplexity(logits));
        extra.put("train.temperature", m.create((float) tau));
        extra.put("train.kl_weight", m.create((float) beta));
        return loss;
    }

    /** exp(H(p̄)), p̄ the frequencies of the argmax codes over the batch and grid: how many codes are in use. */
    static NDArray perplexity(NDArray logits) {
        int k = (int) logits.getShape().get(1);
        NDArray counts = GumbelSoftmax.oneHot(logits.argMax(1), k, 1).sum(new int[] {0, 2, 3});
        NDArray p = counts.div(counts.sum());
        return p.mul(p.add(1e-12f).log()).sum().neg().exp();
    }
}
