package io.difflab.kit.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;

/**
 * A {@link ClipNetwork} the platform trained, with its averaged weights, behind the {@link ClipModel}
 * interface that OpenAI's TorchScript CLIPs have too. Its input resolution is the resolution it was
 * trained at; platform images of that size go straight in ({@link #imageFeatures}).
 */
public final class TrainedClip implements ClipModel {

    /** CLIP clips its logit scale so logits are scaled by at most 100 (Radford et al. 2021, sec. 2.5). */
    public static final double MAX_LOGIT_SCALE = Math.log(100);

    private final ClipNetwork network;
    private final ParameterStore weights;
    private final int endId;

    /**
     * @param network an initialised network
     * @param weights the store handing out its trained (averaged) weights
     * @param endId   the end-of-text id of its vocabulary, where {@link #encodeText(NDArray)} finds each row's end
     */
    public TrainedClip(ClipNetwork network, ParameterStore weights, int endId) {
        this.network = network;
        this.weights = weights;
        this.endId = endId;
    }

    /** The network. */
    public ClipNetwork network() {
        return network;
    }

    @Override
    public NDArray encodeImage(NDArray images) {
        NDArray platform = ClipInput.toPlatform(images);
        return network.encodeImage(weights, platform, noiseAware() ? zeros(platform) : null, false);
    }

    @Override
    public NDArray imageFeatures(NDArray images) {
        return network.encodeImage(weights, images, noiseAware() ? zeros(images) : null, false);
    }

    @Override
    public NDArray encodeNoisedImage(NDArray xt, NDArray t) {
        if (!noiseAware()) {
            return ClipModel.super.encodeNoisedImage(xt, t);
        }
        return network.encodeImage(weights, xt, t, false);
    }

    @Override
    public NDList noisedFeatureMaps(NDArray xt, NDArray t) {
        if (!noiseAware()) {
            return ClipModel.super.noisedFeatureMaps(xt, t);
        }
        return network.imageFeatureMaps(weights, xt, t, false);
    }

    /** Token rows (N, L): the mask marks each row from its start through the first end id (none when absent). */
    @Override
    public NDArray encodeText(NDArray ids) {
        NDArray isEnd = ids.eq(endId).toType(DataType.INT32, false);
        NDArray endsSoFar = isEnd.cumSum(1);
        NDArray hasEnd = isEnd.sum(new int[] {1}, true).gt(0);
        NDArray mask = endsSoFar.sub(isEnd).eq(0).logicalAnd(hasEnd).toType(DataType.INT32, false);
        return encodeText(ids, mask);
    }

    @Override
    public NDArray encodeText(NDArray ids, NDArray mask) {
        return network.encodeText(weights, ids, mask, false);
    }

    /** The learned logit scale, clipped at log 100. */
    @Override
    public double logitScale() {
        NDArray scale = network.logitScale(weights, weights.getManager().getDevice(), false);
        return Math.min(MAX_LOGIT_SCALE, scale.getFloat());
    }

    @Override
    public int inputResolution() {
        return network.architecture().imageResolution();
    }

    @Override
    public int contextLength() {
        return network.architecture().contextLength();
    }

    @Override
    public int embeddingSize() {
        return network.architecture().embeddingSize();
    }

    @Override
    public boolean noiseAware() {
        return network.architecture().noiseAware();
    }

    @Override
    public String noisedBy() {
        ClipArchitecture a = network.architecture();
        return a.noiseAware() ? a.schedule() + ":" + a.timesteps() : "";
    }

    /** t = 0 for every image: a noise-aware encoder reading clean images. */
    private static NDArray zeros(NDArray images) {
        return images.getManager().zeros(new ai.djl.ndarray.types.Shape(images.getShape().get(0)), DataType.INT32);
    }
}
