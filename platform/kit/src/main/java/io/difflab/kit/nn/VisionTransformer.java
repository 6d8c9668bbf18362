package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * CLIP's vision transformer (Radford et al. 2021, sec. 2.4; Dosovitskiy et al. 2021): the image cut
 * into p×p patches, each linearly embedded, a leading class token, learned position embeddings, a
 * LayerNorm before the transformer (CLIP's {@code ln_pre}) and one after it on the leading token,
 * whose state is the image's vector. Bidirectional attention.
 *
 * <p>Noise-aware (GLIDE's noised CLIP, Nichol et al. 2021, sec. 2.3 and its {@code ImageEmbedding}):
 * with T timesteps the leading token is a learned embedding of the diffusion timestep t instead
 * of the class token, so the encoder reads x_t knowing how noisy it is.
 *
 * <p>Inputs: images (N, C, R, R), and timesteps t (N) (integers in [0, T)) when noise-aware.
 * Output: (N, D).
 */
public final class VisionTransformer extends AbstractBlock {

    private final int channels;
    private final int resolution;
    private final int patchSize;
    private final int width;
    private final int timesteps;
    private final Linear patchEmbedding;
    private final Parameter leadingToken;
    private final Parameter positionEmbedding;
    private final LayerNorm preNorm;
    private final Transformer transformer;
    private final LayerNorm postNorm;

    private VisionTransformer(Builder b) {
        channels = b.channels;
        resolution = b.resolution;
        patchSize = b.patchSize;
        width = b.width;
        timesteps = b.timesteps;
        int grid = resolution / patchSize;
        // CLIP's VisionTransformer: conv1 without bias; class and position embeddings N(0, 1/D)
        float scale = (float) (1 / Math.sqrt(width));
        patchEmbedding = addChildBlock("patch_embedding", Linear.builder().setUnits(width).optBias(false).build());
        patchEmbedding.setInitializer(new NormalInitializer((float) Math.sqrt(2.0 / (width * patchSize * patchSize))),
                Parameter.Type.WEIGHT);
        Shape leading = timesteps > 0 ? new Shape(timesteps, width) : new Shape(width);
        leadingToken = addParameter(Parameter.builder().setName(timesteps > 0 ? "timestep_embedding" : "class_embedding")
                .setType(Parameter.Type.WEIGHT).optShape(leading).optInitializer(new NormalInitializer(scale)).build());
        positionEmbedding = addParameter(Parameter.builder().setName("position_embedding")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(grid * grid + 1L, width))
                .optInitializer(new NormalInitializer(scale)).build());
        preNorm = addChildBlock("pre_norm", new LayerNorm(width));
        transformer = addChildBlock("transformer", new Transformer(width, b.layers, b.heads));
        postNorm = addChildBlock("post_norm", new LayerNorm(width));
    }

    /** The vectors (N, D) of images (N, C, R, R); {@code t} (N) for a noise-aware encoder, else null. */
    public NDArray forward(ParameterStore ps, NDArray images, NDArray t, boolean training) {
        check(images, t);
        try (ForwardScope s = ForwardScope.open(images, t)) {
            NDArray x = tokens(s, ps, images, t, training);
            x = s.advance(x, transformer.forward(ps, x, null, training));
            NDArray head = x.get(":, 0, :");
            return s.keep(postNorm.forward(ps, head, training));
        }
    }

    /**
     * The image's intermediate feature maps: every transformer layer's output at the g×g patch
     * positions (the leading token left out) as maps (N, D, g, g), g = R/p, first layer first; the
     * ViT's counterpart of a CNN's feature maps F_j (C_j = D, H_j = W_j = g) that structure and style
     * losses compare (Liu et al. 2021, SDG). Same inputs as {@link #forward}; differentiable.
     */
    public NDList featureMaps(ParameterStore ps, NDArray images, NDArray t, boolean training) {
        check(images, t);
        try (ForwardScope s = ForwardScope.open(images, t)) {
            NDArray x = tokens(s, ps, images, t, training);
            NDList maps = new NDList();
            for (NDArray state : transformer.forwardLayers(ps, x, null, training)) {
                maps.add(s.keep(tokenMap(state, resolution / patchSize)));
            }
            return maps;
        }
    }

    /**
     * Token states (N, 1 + g², D) as a feature map (N, D, g, g) of the patch tokens: the leading
     * token dropped, token 1 + i·g + j at row i, column j (patches are numbered row by row).
     */
    public static NDArray tokenMap(NDArray states, int grid) {
        Shape shape = states.getShape();
        long n = shape.get(0);
        long d = shape.get(2);
        if (shape.get(1) != (long) grid * grid + 1) {
            throw new IllegalArgumentException("need 1 + " + grid + "² tokens, got " + shape);
        }
        return states.get(":, 1:, :").transpose(0, 2, 1).reshape(n, d, grid, grid);
    }

    private void check(NDArray images, NDArray t) {
        Shape shape = images.getShape();
        if (shape.dimension() != 4 || shape.get(1) != channels || shape.get(2) != resolution
                || shape.get(3) != resolution) {
            throw new IllegalArgumentException("images must be (N, " + channels + ", " + resolution + ", "
                    + resolution + "), got " + shape);
        }
        if ((timesteps > 0) != (t != null)) {
            throw new IllegalArgumentException(timesteps > 0 ? "a noise-aware encoder needs the timesteps t"
                    : "this encoder is not noise-aware: it takes no timesteps");
        }
    }

    /** The transformer's input (N, 1 + g², D): leading token, patch embeddings, positions, ln_pre. */
    private NDArray tokens(ForwardScope s, ParameterStore ps, NDArray images, NDArray t, boolean training) {
        long n = images.getShape().get(0);
        NDArray leading = ps.getValue(leadingToken, images.getDevice(), training);
        NDArray positions = ps.getValue(positionEmbedding, images.getDevice(), training);
        // a linear map of each patch is CLIP's stride-p convolution
        NDArray patches = patches(images, patchSize);
        NDArray x = s.advance(patches, Layers.apply(patchEmbedding, ps, patches, training));
        NDArray first;
        if (t == null) {
            first = s.own(leading.reshape(1, 1, width)).broadcast(n, 1, width);
        } else {
            NDArray index = t.toType(DataType.INT64, false);
            first = index.getNDArrayInternal().embedding(index, leading, SparseFormat.DENSE).head()
                    .reshape(n, 1, width);
        }
        x = s.advance(x, first.concat(x, 1).add(positions));
        return s.advance(x, preNorm.forward(ps, x, training));
    }

    /** Images (N, C, R, R) as rows of patches (N, g², C·p²), g = R/p, patches row by row, each channel-major. */
    static NDArray patches(NDArray images, int patchSize) {
        Shape shape = images.getShape();
        long n = shape.get(0);
        long c = shape.get(1);
        long grid = shape.get(2) / patchSize;
        // (N, C, g, p, g, p) -> (N, g, g, C, p, p) -> (N, g², C·p²)
        return images.reshape(n, c, grid, patchSize, grid, patchSize).transpose(0, 2, 4, 1, 3, 5)
                .reshape(n, grid * grid, c * patchSize * patchSize);
    }

    /** D. */
    public int width() {
        return width;
    }

    /** T, the timesteps a noise-aware encoder knows; 0 when it is not noise-aware. */
    public int timesteps() {
        return timesteps;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        int grid = resolution / patchSize;
        patchEmbedding.initialize(manager, dataType, new Shape(n, (long) grid * grid,
                (long) channels * patchSize * patchSize));
        Shape tokens = new Shape(n, (long) grid * grid + 1, width);
        preNorm.initialize(manager, dataType, tokens);
        transformer.initialize(manager, dataType, tokens);
        postNorm.initialize(manager, dataType, new Shape(n, width));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), width)};
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a vision transformer; channels, resolution, patch size and width are required. */
    public static final class Builder {
        private int channels;
        private int resolution;
        private int patchSize;
        private int width;
        private int layers = 2;
        private int heads = 4;
        private int timesteps;

        private Builder() {
        }

        /** Image channels (3 for RGB). */
        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** R, the side of the square images. */
        public Builder setResolution(int resolution) {
            this.resolution = resolution;
            return this;
        }

        /** p, the side of a patch, dividing R. */
        public Builder setPatchSize(int patchSize) {
            this.patchSize = patchSize;
            return this;
        }

        /** D. */
        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        /** Transformer layers (default 2). */
        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /** Attention heads, dividing the width (default 4). */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** T: makes the encoder noise-aware, reading t in [0, T) (default 0: not noise-aware). */
        public Builder optTimesteps(int timesteps) {
            this.timesteps = timesteps;
            return this;
        }

        public VisionTransformer build() {
            if (channels < 1 || resolution < 1 || patchSize < 1 || width < 1) {
                throw new IllegalArgumentException("a vision transformer needs channels, a resolution, a patch size"
                        + " and a width > 0, got " + channels + ", " + resolution + ", " + patchSize + ", " + width);
            }
            if (resolution % patchSize != 0) {
                throw new IllegalArgumentException("the patch size " + patchSize + " does not divide the image side "
                        + resolution);
            }
            if (layers < 1 || heads < 1 || width % heads != 0) {
                throw new IllegalArgumentException("a vision transformer needs layers >= 1 and heads dividing the width "
                        + width + ", got " + layers + " layers, " + heads + " heads");
            }
            if (timesteps < 0) {
                throw new IllegalArgumentException("timesteps must be >= 0, got " + timesteps);
            }
            return new VisionTransformer(this);
        }
    }
}
