package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A learned vector per class label, added to the timestep embedding of a class-conditional
 * U-Net (guided-diffusion's label_emb). It has numClasses + 1 entries: the last one,
 * index numClasses, is the null label ∅ of classifier-free guidance (Ho &amp; Salimans 2021), which
 * the label {@link io.difflab.api.Condition#NULL_LABEL} selects too.
 */
public final class ClassEmbedding extends AbstractBlock {

    private final int numEntries;
    private final int embedDim;
    private final Parameter embedding;

    /**
     * @param numClasses the class count (the null label adds one entry)
     * @param embedDim   width of each vector
     */
    public ClassEmbedding(int numClasses, int embedDim) {
        if (numClasses <= 0 || embedDim <= 0) {
            throw new IllegalArgumentException("class embedding needs numClasses > 0 and embedDim > 0, got "
                    + numClasses + ", " + embedDim);
        }
        this.numEntries = numClasses + 1;
        this.embedDim = embedDim;
        // N(0, 1), as torch.nn.Embedding initialises
        embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(numEntries, embedDim)).optInitializer(new NormalInitializer(1f)).build());
    }

    /** The vectors of {@code labels} (N, int) as (N, embedDim), in the manager of {@code labels}. */
    public NDArray forward(ParameterStore ps, NDArray labels, boolean training) {
        NDArray table = ps.getValue(embedding, labels.getDevice(), training);
        try (ForwardScope s = ForwardScope.open(labels)) {
            NDArray asInt = labels.toType(DataType.INT32, false);
            NDArray indices = NDArrays.where(asInt.lt(0), s.manager().full(asInt.getShape(), numEntries - 1), asInt);
            return s.keep(indices.oneHot(numEntries).matMul(table));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embedDim)};
    }
}
