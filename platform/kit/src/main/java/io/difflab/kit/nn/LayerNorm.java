package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Layer normalization over the last axis (Ba et al. 2016, eq. 4): each position's D features are
 * normalised to mean 0 and variance 1 (biased, ε = 1e-5 inside the square root), then scaled by γ
 * and shifted by β, both (D) and starting at 1 and 0, as in CLIP's and GLIDE's transformers. One
 * fused PyTorch kernel.
 */
public final class LayerNorm extends AbstractBlock {

    /** PyTorch's default ε. */
    public static final float EPSILON = 1e-5f;

    private final int features;
    private final Parameter gamma;
    private final Parameter beta;

    /** @param features D, the size of the last axis */
    public LayerNorm(int features) {
        if (features <= 0) {
            throw new IllegalArgumentException("layer norm needs features > 0, got " + features);
        }
        this.features = features;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(features)).optInitializer(Initializer.ONES).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(features)).optInitializer(Initializer.ZEROS).build());
    }

    /** Normalises {@code x} (..., D) over its last axis, in the manager of {@code x}. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray g = ps.getValue(gamma, x.getDevice(), training);
        NDArray b = ps.getValue(beta, x.getDevice(), training);
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, new Shape(features), g, b, EPSILON).head();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
