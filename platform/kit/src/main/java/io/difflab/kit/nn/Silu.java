package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** SiLU (swish with β = 1), x·σ(x) (Elfwing et al. 2018): DJL has none, so a fused kernel or NDArray ops. */
public final class Silu extends AbstractBlock {

    /** x·σ(x), in the manager of {@code x}: one fused kernel unless {@link UNetKernels#enabled()} is off. */
    public static NDArray silu(NDArray x) {
        if (UNetKernels.enabled()) {
            return UNetKernels.on(x).silu(x);
        }
        try (NDArray sigmoid = Activation.sigmoid(x)) {
            return x.mul(sigmoid);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(silu(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
