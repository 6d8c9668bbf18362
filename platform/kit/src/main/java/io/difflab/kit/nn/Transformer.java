package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of pre-LayerNorm {@link TransformerLayer}s sharing one attention bias (CLIP's
 * {@code Transformer}): the trunk of the text transformer and of the vision transformer.
 */
public final class Transformer extends AbstractBlock {

    private final int width;
    private final List<TransformerLayer> layers = new ArrayList<>();

    /**
     * @param width  D
     * @param layers how many layers (at least 1)
     * @param heads  attention heads per layer, dividing D
     */
    public Transformer(int width, int layers, int heads) {
        if (layers < 1) {
            throw new IllegalArgumentException("a transformer needs at least one layer, got " + layers);
        }
        this.width = width;
        for (int i = 0; i < layers; i++) {
            this.layers.add(addChildBlock("layer_" + i, new TransformerLayer(width, heads, layers)));
        }
    }

    /** Runs every layer on x (N, L, D) under {@code bias} (null: every connection allowed). */
    public NDArray forward(ParameterStore ps, NDArray x, NDArray bias, boolean training) {
        try (ForwardScope s = ForwardScope.open(x, bias)) {
            NDArray h = x;
            for (TransformerLayer layer : layers) {
                h = s.advance(h, layer.forward(ps, h, bias, training));
            }
            return s.keep(h);
        }
    }

    /**
     * Every layer's output (N, L, D), first layer first, on x (N, L, D) under {@code bias}: the
     * intermediate states that feature-matching losses read (the last is {@link #forward}'s result).
     */
    public NDList forwardLayers(ParameterStore ps, NDArray x, NDArray bias, boolean training) {
        try (ForwardScope s = ForwardScope.open(x, bias)) {
            NDList states = new NDList();
            NDArray h = x;
            for (TransformerLayer layer : layers) {
                h = layer.forward(ps, h, bias, training);
                states.add(s.keep(h));
            }
            return states;
        }
    }

    /** D. */
    public int width() {
        return width;
    }

    /** The number of layers. */
    public int depth() {
        return layers.size();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (TransformerLayer layer : layers) {
            layer.initialize(manager, dataType, inputShapes[0]);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
