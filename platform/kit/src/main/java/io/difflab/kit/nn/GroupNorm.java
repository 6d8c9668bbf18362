package io.difflab.kit.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalization (Wu &amp; He 2018, eq. 1-3): the channels of each sample are split into G
 * groups, each group is normalised to mean 0 and variance 1 over its channels and positions,
 * then a per-channel scale γ and shift β are applied.
 *
 * <p>DJL has no group norm. Reshaping (N, C, ...) to (N, G, C/G·...) makes each group one row,
 * which PyTorch's fused layer norm over the last axis normalises in a single pass (mean and
 * biased variance per row, as group norm defines them); the per-channel affine follows as one
 * fused kernel.
 */
public final class GroupNorm extends AbstractBlock {

    /** DJL's PyTorch batch norm normalises axis 1 directly when given -1 (any other value transposes first). */
    private static final int PYTORCH_CHANNEL_AXIS = -1;

    private final int numChannels;
    private final int numGroups;
    private final float epsilon;
    private final Parameter gamma;
    private final Parameter beta;

    private GroupNorm(Builder builder) {
        numChannels = builder.numChannels;
        numGroups = builder.numGroups;
        epsilon = builder.epsilon;
        if (builder.affine) {
            gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                    .optShape(new Shape(numChannels)).build());
            beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                    .optShape(new Shape(numChannels)).build());
        } else {
            gamma = null;
            beta = null;
        }
    }

    /** Normalises {@code x} (N, C, ...) in the manager of {@code x}. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        if (fused()) {
            return fusedCall(ps, x, training, (k, g, b) -> k.groupNorm(x, g, b));
        }
        return plain(ps, x, training);
    }

    /** SiLU(GN(x)): the norm then the activation, as the residual block and the U-Net's output use them. */
    public NDArray forwardSilu(ParameterStore ps, NDArray x, boolean training) {
        if (fused()) {
            return fusedCall(ps, x, training, (k, g, b) -> k.groupNormSilu(x, g, b));
        }
        try (ForwardScope s = ForwardScope.open(x)) {
            NDArray h = plain(ps, x, training);
            return s.keep(s.advance(h, Silu.silu(h)));
        }
    }

    /** SiLU(GN(x + e)), e (N, C, 1, 1) the projected timestep embedding (Ho et al. 2020, appendix B). */
    public NDArray forwardAddSilu(ParameterStore ps, NDArray x, NDArray e, boolean training) {
        if (fused()) {
            return fusedCall(ps, x, training, (k, g, b) -> k.addGroupNormSilu(x, e, g, b));
        }
        try (ForwardScope s = ForwardScope.open(x, e)) {
            NDArray h = x.add(e);
            h = s.advance(h, plain(ps, h, training));
            return s.keep(s.advance(h, Silu.silu(h)));
        }
    }

    /**
     * SiLU(GN(x)·(1 + s) + b) with (s, b) the channel halves of {@code scaleShift} (N, 2C, 1, 1):
     * adaptive group norm (Dhariwal &amp; Nichol 2021, sec. 3), then the activation.
     */
    public NDArray forwardScaleShiftSilu(ParameterStore ps, NDArray x, NDArray scaleShift, boolean training) {
        if (fused()) {
            return fusedCall(ps, x, training, (k, g, b) -> k.scaleShiftNormSilu(x, scaleShift, g, b));
        }
        try (ForwardScope s = ForwardScope.open(x, scaleShift)) {
            NDList halves = scaleShift.split(2, 1);
            NDArray h = plain(ps, x, training);
            h = s.advance(h, h.mul(halves.get(0).add(1f)));
            h = s.advance(h, h.add(halves.get(1)));
            return s.keep(s.advance(h, Silu.silu(h)));
        }
    }

    private boolean fused() {
        return gamma != null && epsilon == UNetKernels.EPSILON && UNetKernels.enabled();
    }

    /** One fused kernel call with γ and β as (G, C/G) views owned by the call's scope. */
    private NDArray fusedCall(ParameterStore ps, NDArray x, boolean training, FusedKernel kernel) {
        Device device = x.getDevice();
        try (ForwardScope s = ForwardScope.open(x)) {
            NDArray g = s.own(ps.getValue(gamma, device, training).reshape(numGroups, -1));
            NDArray b = s.own(ps.getValue(beta, device, training).reshape(numGroups, -1));
            return s.keep(kernel.apply(UNetKernels.on(x), g, b));
        }
    }

    private NDArray plain(ParameterStore ps, NDArray x, boolean training) {
        Device device = x.getDevice();
        NDArray g = gamma == null ? null : ps.getValue(gamma, device, training);
        NDArray b = beta == null ? null : ps.getValue(beta, device, training);
        return groupNorm(x, numGroups, g, b, epsilon);
    }

    /** A method of {@link UNetKernels} given γ and β as (G, C/G). */
    private interface FusedKernel {
        NDArray apply(UNetKernels kernels, NDArray gamma, NDArray beta);
    }

    /**
     * Group norm of {@code x} (N, C, ...) with {@code groups} groups; {@code gamma} and
     * {@code beta} of shape (C) or both {@code null} for no affine.
     */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, float eps) {
        Shape shape = x.getShape();
        try (ForwardScope s = ForwardScope.open(x)) {
            NDManager m = s.manager();
            NDArray rows = x.reshape(shape.get(0), groups, -1);
            Shape row = new Shape(rows.getShape().get(2));
            NDArray normed = LayerNorm.layerNorm(rows, row, m.ones(row, x.getDataType()),
                    m.zeros(row, x.getDataType()), eps).head();
            normed = s.advance(normed, normed.reshape(shape));
            if (gamma != null) {
                // the per-channel affine as an inference-mode batch norm with mean 0 and variance 1:
                // one fused kernel forward and one backward, where a broadcast multiply and add take
                // four kernels and two reductions (4x slower for a training step's norms)
                Shape channels = new Shape(shape.get(1));
                normed = s.advance(normed, BatchNorm.batchNorm(normed, m.zeros(channels, x.getDataType()),
                        m.ones(channels, x.getDataType()), gamma, beta, PYTORCH_CHANNEL_AXIS, 0f, 0f, false).head());
            }
            return s.keep(normed);
        }
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

    /**
     * The group count for {@code channels}: the largest divisor of it not above
     * {@code maxGroups} (32 in the reference) and leaving at least two channels per group. With
     * one channel per group the norm would subtract every per-channel shift, cancelling the
     * timestep embedding that a residual block adds just before it; the reference never meets
     * that case (≥ 64 channels), narrow networks here do.
     */
    public static int groupsFor(int channels, int maxGroups) {
        for (int g = Math.min(channels / 2, maxGroups); g > 1; g--) {
            if (channels % g == 0) {
                return g;
            }
        }
        return 1;
    }

    /** Number of groups the channels are split into. */
    public int getNumGroups() {
        return numGroups;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link GroupNorm}: {@code setNumChannels} is required. */
    public static final class Builder {
        private int numChannels = -1;
        private int numGroups = 32;
        private boolean affine = true;
        private float epsilon = 1e-5f;

        /** The channel count C of the inputs. */
        public Builder setNumChannels(int numChannels) {
            this.numChannels = numChannels;
            return this;
        }

        /** The number of groups G, which must divide C (default 32, as in the reference U-Net). */
        public Builder optNumGroups(int numGroups) {
            this.numGroups = numGroups;
            return this;
        }

        /** Whether to learn the per-channel γ and β (default true). */
        public Builder optAffine(boolean affine) {
            this.affine = affine;
            return this;
        }

        /** The ε added to the variance (default 1e-5). */
        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        public GroupNorm build() {
            if (numChannels <= 0) {
                throw new IllegalArgumentException("GroupNorm needs setNumChannels > 0, got " + numChannels);
            }
            if (numGroups <= 0 || numChannels % numGroups != 0) {
                throw new IllegalArgumentException("GroupNorm groups (" + numGroups
                        + ") must be positive and divide the channels (" + numChannels + ")");
            }
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("GroupNorm epsilon must be positive, got " + epsilon);
            }
            return new GroupNorm(this);
        }
    }
}
