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
 * Timestep blocks applied in order, each given the embedding and, where there is one, the context
 * (guided-diffusion's TimestepEmbedSequential; GLIDE's passes {@code encoder_out} along too).
 */
public final class TimestepSequential extends AbstractBlock implements TimestepBlock {

    private final List<TimestepBlock> layers = new ArrayList<>();

    /** Appends a layer; returns this. */
    public TimestepSequential add(String name, TimestepBlock layer) {
        layers.add(addChildBlock(name, layer));
        return this;
    }

    /** The layers, in order. */
    public List<TimestepBlock> layers() {
        return List.copyOf(layers);
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, NDArray emb, boolean training) {
        if (layers.size() == 1) {
            return layers.get(0).forward(ps, x, emb, training);
        }
        try (ForwardScope s = ForwardScope.open(x, emb)) {
            NDArray h = x;
            for (TimestepBlock layer : layers) {
                h = s.advance(h, layer.forward(ps, h, emb, training));
            }
            return s.keep(h);
        }
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, NDArray emb, ContextTokens context, boolean training) {
        if (context == null) {
            return forward(ps, x, emb, training);
        }
        if (layers.size() == 1) {
            return layers.get(0).forward(ps, x, emb, context, training);
        }
        try (ForwardScope s = ForwardScope.open(x, emb)) {
            NDArray h = x;
            for (TimestepBlock layer : layers) {
                h = s.advance(h, layer.forward(ps, h, emb, context, training));
            }
            return s.keep(h);
        }
    }

    @Override
    public Shape outputShape(Shape x) {
        Shape h = x;
        for (TimestepBlock layer : layers) {
            h = layer.outputShape(h);
        }
        return h;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape h = inputShapes[0];
        for (TimestepBlock layer : layers) {
            Shape[] in = inputShapes.length > 1 ? new Shape[] {h, inputShapes[1]} : new Shape[] {h};
            layer.initialize(manager, dataType, in);
            h = layer.outputShape(h);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {outputShape(inputShapes[0])};
    }
}
