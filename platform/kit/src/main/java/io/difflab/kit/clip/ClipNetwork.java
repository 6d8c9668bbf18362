package io.difflab.kit.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.difflab.kit.nn.ForwardScope;
import io.difflab.kit.nn.Layers;
import io.difflab.kit.nn.TextTransformer;
import io.difflab.kit.nn.VisionTransformer;

/**
 * CLIP's two encoders and its temperature as one network (Radford et al. 2021, Fig. 3 and sec.
 * 2.4-2.5; openai/CLIP {@code model.py}): a {@link VisionTransformer} and a {@link TextTransformer},
 * each followed by a linear projection without bias into the shared E-dimensional embedding, and
 * the learned log inverse temperature {@code logit_scale}, initialised to log(1/0.07).
 *
 * <p>Images come in the platform's convention, (N, C, R, R) in [−1, 1] (C = 1 is read as grey RGB),
 * and are brought to CLIP's input normalisation inside, as GLIDE's CLIP does; a noise-aware network
 * reads x_t and its timesteps t instead (GLIDE, sec. 2.3). Forward inputs: images, t (noise-aware
 * only), token ids (N, L), mask (N, L); outputs: image features (N, E), text features (N, E) and
 * logit_scale (a scalar). The features are not normalised: {@link ClipModel#logits} does that.
 */
public final class ClipNetwork extends AbstractBlock {

    /** OpenAI's per-channel mean of CLIP's RGB input in [0, 1]. */
    static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    /** OpenAI's per-channel standard deviation of CLIP's RGB input. */
    static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final ClipArchitecture architecture;
    private final VisionTransformer visual;
    private final TextTransformer text;
    private final Linear imageProjection;
    private final Linear textProjection;
    private final Parameter logitScale;

    /** An uninitialised network of {@code architecture}. */
    public ClipNetwork(ClipArchitecture a) {
        architecture = a;
        visual = addChildBlock("visual", VisionTransformer.builder().setChannels(3).setResolution(a.imageResolution())
                .setPatchSize(a.patchSize()).setWidth(a.imageWidth()).optLayers(a.imageLayers())
                .optHeads(a.imageHeads()).optTimesteps(a.timesteps()).build());
        text = addChildBlock("text", TextTransformer.builder().setVocabularySize(a.vocabularySize())
                .setContextLength(a.contextLength()).setWidth(a.textWidth()).optLayers(a.textLayers())
                .optHeads(a.textHeads()).optCausal(a.causal()).optPooling(a.pooling()).build());
        // CLIP: proj and text_projection N(0, 1/width), no bias
        imageProjection = addChildBlock("image_projection", projection(a.embeddingSize(), a.imageWidth()));
        textProjection = addChildBlock("text_projection", projection(a.embeddingSize(), a.textWidth()));
        logitScale = addParameter(Parameter.builder().setName("logit_scale").setType(Parameter.Type.OTHER)
                .optShape(new Shape()).optInitializer(new ConstantInitializer((float) Math.log(1 / 0.07))).build());
    }

    private static Linear projection(int units, int width) {
        Linear linear = Linear.builder().setUnits(units).optBias(false).build();
        linear.setInitializer(new NormalInitializer((float) (1 / Math.sqrt(width))), Parameter.Type.WEIGHT);
        return linear;
    }

    /** Image features (N, E) of images in [−1, 1] (or x_t with timesteps {@code t} when noise-aware, else null). */
    public NDArray encodeImage(ParameterStore ps, NDArray images, NDArray t, boolean training) {
        try (ForwardScope s = ForwardScope.open(images, t)) {
            NDArray x = clipInput(images);
            NDArray h = s.advance(x, visual.forward(ps, x, t, training));
            return s.keep(Layers.apply(imageProjection, ps, h, training));
        }
    }

    /**
     * The image encoder's intermediate feature maps, one (N, D, g, g) per transformer layer
     * ({@link VisionTransformer#featureMaps}), of images in [−1, 1] (x_t with {@code t} when noise-aware).
     */
    public NDList imageFeatureMaps(ParameterStore ps, NDArray images, NDArray t, boolean training) {
        try (ForwardScope s = ForwardScope.open(images, t)) {
            NDList maps = visual.featureMaps(ps, clipInput(images), t, training);
            maps.forEach(s::keep);
            return maps;
        }
    }

    /** Text features (N, E) of token ids (N, L) and their mask (N, L), pooled as the architecture says. */
    public NDArray encodeText(ParameterStore ps, NDArray ids, NDArray mask, boolean training) {
        try (ForwardScope s = ForwardScope.open(ids, mask)) {
            NDList out = text.forward(ps, ids, mask, training);
            NDArray pooled = out.get(1);
            out.get(0).close();
            return s.keep(Layers.apply(textProjection, ps, pooled, training));
        }
    }

    /** logit_scale, a scalar array on {@code device}. */
    public NDArray logitScale(ParameterStore ps, Device device, boolean training) {
        return ps.getValue(logitScale, device, training);
    }

    /**
     * CLIP's input from images in [−1, 1]: grey repeated to RGB, then per channel
     * ((x + 1)/2 − mean)/std, i.e. x·(0.5/std) + (0.5 − mean)/std.
     */
    static NDArray clipInput(NDArray images) {
        NDManager m = images.getManager();
        NDArray rgb = images.getShape().get(1) == 1 ? images.repeat(1, 3) : images;
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = 0.5f / STD[c];
            shift[c] = (0.5f - MEAN[c]) / STD[c];
        }
        NDArray a = m.create(scale, new Shape(1, 3, 1, 1)).toType(images.getDataType(), false);
        NDArray b = m.create(shift, new Shape(1, 3, 1, 1)).toType(images.getDataType(), false);
        return rgb.mul(a).add(b);
    }

    /** The sizes it was built with. */
    public ClipArchitecture architecture() {
        return architecture;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        int next = 0;
        NDArray images = inputs.get(next++);
        NDArray t = architecture.noiseAware() ? inputs.get(next++) : null;
        NDArray ids = inputs.get(next++);
        NDArray mask = inputs.get(next);
        NDArray imageFeatures = encodeImage(ps, images, t, training);
        NDArray textFeatures = encodeText(ps, ids, mask, training);
        // a copy in the inputs' manager, part of the graph: the parameter itself must not leave the block
        NDArray scale = images.getManager().ones(new Shape(), images.getDataType())
                .mul(logitScale(ps, images.getDevice(), training));
        return new NDList(imageFeatures, textFeatures, scale);
    }

    /** The input shapes for a batch of {@code n}: images, t when noise-aware, ids, mask. */
    public Shape[] inputShapes(long n) {
        Shape images = new Shape(n, architecture.imageChannels(), architecture.imageResolution(),
                architecture.imageResolution());
        Shape tokens = new Shape(n, architecture.contextLength());
        return architecture.noiseAware() ? new Shape[] {images, new Shape(n), tokens, tokens}
                : new Shape[] {images, tokens, tokens};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        int r = architecture.imageResolution();
        Shape rgb = new Shape(n, 3, r, r);
        if (architecture.noiseAware()) {
            visual.initialize(manager, dataType, rgb, new Shape(n));
        } else {
            visual.initialize(manager, dataType, rgb);
        }
        Shape tokens = new Shape(n, architecture.contextLength());
        text.initialize(manager, dataType, tokens, tokens);
        imageProjection.initialize(manager, dataType, new Shape(n, architecture.imageWidth()));
        textProjection.initialize(manager, dataType, new Shape(n, architecture.textWidth()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        Shape features = new Shape(n, architecture.embeddingSize());
        return new Shape[] {features, features, new Shape()};
    }
}
