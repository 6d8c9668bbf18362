package io.difflab.plugins.dalle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.difflab.kit.engine.Scalars;
import io.difflab.kit.nn.Conv;
import io.difflab.kit.nn.ForwardScope;

/**
 * A residual block of DALL-E's dVAE (Ramesh et al. 2021, App. A.1; the released {@code dall_e}
 * encoder and decoder): x + g·f(x) with f = conv3(ReLU(conv3(ReLU(x)))) at constant width and no
 * normalisation, where the post-gain g = 1/L² for L blocks in the network keeps the residual stream
 * near identity at initialisation.
 */
final class DvaeResBlock extends AbstractBlock {

    private final Conv first;
    private final Conv second;
    private final double postGain;

    DvaeResBlock(int channels, int blocksInNetwork) {
        first = addChildBlock("conv_1", Conv.of(channels, channels, 3, 1));
        second = addChildBlock("conv_2", Conv.of(channels, channels, 3, 1));
        postGain = 1.0 / ((double) blocksInNetwork * blocksInNetwork);
    }

    NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        try (ForwardScope s = ForwardScope.open(x)) {
            NDArray h = Activation.relu(x);
            h = s.advance(h, first.forward(ps, h, training));
            h = s.advance(h, Activation.relu(h));
            h = s.advance(h, second.forward(ps, h, training));
            h = s.advance(h, Scalars.mul(h, postGain));
            return s.keep(s.advance(h, x.add(h)));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        first.initialize(manager, dataType, inputShapes[0]);
        second.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
