package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.difflab.api.ImageShape;
import io.difflab.kit.engine.RowIndependent;

import java.util.ArrayList;
import java.util.List;

/**
 * The diffusion U-Net noise estimator (Ho et al. 2020, appendix B; Dhariwal &amp; Nichol 2021,
 * sec. 3, after guided-diffusion's UNetModel): a timestep embedding (plus the embedding-like
 * conditions, {@link ConditionHooks}), the {@link UNetEncoder}, a decoder whose blocks take the
 * concatenated skip of the matching encoder block, then GN, SiLU and a zero-initialised 3x3 conv.
 *
 * <p>Inputs as {@code io.difflab.api.EstimatorNetwork} defines them: x_t (N, C, H, W) float32,
 * t (N) float32, then the arrays of each condition in order (labels (N) int32, whose null label
 * is numClasses or {@code Condition.NULL_LABEL}; embeddings (N, D); token states (N, L, D) and
 * their mask (N, L), read by every attention layer as {@link ContextTokens}; images (N, c, h, w)).
 * Output (N, outChannels, H, W). Built for one image size; odd sizes are fine (28 → 14 → 7 → 4 and
 * back). Without conditions it is exactly the unconditional DDPM / ADM network.
 */
public final class UNet extends AbstractBlock implements RowIndependent {

    private final ImageShape imageShape;
    private final int outChannels;
    private final TimestepEmbedding timeEmbedding;
    private final ConditionHooks conditions;
    private final UNetEncoder encoder;
    private final List<TimestepBlock> decoder = new ArrayList<>();
    private final GroupNorm outNorm;
    private final Conv outConv;

    UNet(UNetBuilder b) {
        imageShape = b.imageShape;
        outChannels = b.outChannels;
        timeEmbedding = addChildBlock("time_embedding", new TimestepEmbedding(b.baseChannels, b.embedDim()));
        conditions = new ConditionHooks(b, this::addChildBlock);
        encoder = addChildBlock("encoder", new UNetEncoder(b));
        List<Integer> skipChannels = b.skipChannels();
        int ch = encoder.getOutChannels();
        for (int level = b.channelMult.size() - 1; level >= 0; level--) {
            int width = b.baseChannels * b.channelMult.get(level);
            for (int i = 0; i <= b.numResBlocks; i++) {
                int skip = skipChannels.remove(skipChannels.size() - 1);
                TimestepSequential stage = new TimestepSequential().add("res", b.resBlock(ch + skip, width).build());
                ch = width;
                if (b.hasAttention(level)) {
                    stage.add("attention", b.attention(ch));
                }
                if (level > 0 && i == b.numResBlocks) {
                    long[] size = b.levelSize(level - 1);
                    stage.add("up", b.resblockUpdown ? b.resBlock(ch, ch).optUp(size[0], size[1]).build()
                            : new Upsample(ch, ch, b.convResample, size[0], size[1]));
                }
                decoder.add(addChildBlock("out_level" + level + "_" + i, stage));
            }
        }
        outNorm = addChildBlock("out_norm", GroupNorm.builder().setNumChannels(ch)
                .optNumGroups(GroupNorm.groupsFor(ch, b.normGroups)).build());
        outConv = addChildBlock("out_conv", Conv.zero(ch, outChannels, 3));
    }

    /**
     * Predicts from x_t.
     *
     * @param labels class labels (N) int32, or null for an unconditional network
     * @return (N, outChannels, H, W), in the manager of {@code x}
     */
    public NDArray forward(ParameterStore ps, NDArray x, NDArray t, NDArray labels, boolean training) {
        return forward(ps, x, t, labels == null ? new NDList() : new NDList(labels), training);
    }

    /**
     * Predicts from x_t under conditions.
     *
     * @param condition the arrays of each condition, in the order the network was built with
     * @return (N, outChannels, H, W), in the manager of {@code x}
     */
    public NDArray forward(ParameterStore ps, NDArray x, NDArray t, NDList condition, boolean training) {
        checkInput(x.getShape(), condition);
        NDArray[] borrowed = new NDArray[2 + condition.size()];
        borrowed[0] = x;
        borrowed[1] = t;
        for (int i = 0; i < condition.size(); i++) {
            borrowed[2 + i] = condition.get(i);
        }
        try (ForwardScope s = ForwardScope.open(borrowed)) {
            NDArray emb = conditions.embedding(ps, timeEmbedding.forward(ps, t, training), condition, training);
            ContextTokens context = conditions.context(ps, condition, training);
            NDList encoded = encoder.forward(ps, conditions.inputChannels(x, condition), emb, context, training);
            NDArray h = encoded.get(0);
            int next = encoded.size() - 1;
            for (TimestepBlock stage : decoder) {
                NDArray skip = encoded.get(next--);
                NDArray joined = h.concat(skip, 1);
                NDArray out = stage.forward(ps, joined, emb, context, training);
                // free each activation once consumed, as eager PyTorch would (autograd keeps its own)
                joined.close();
                skip.close();
                h.close();
                h = out;
            }
            h = s.advance(h, outNorm.forwardSilu(ps, h, training));
            return s.keep(s.advance(h, outConv.forward(ps, h, training)));
        }
    }

    private void checkInput(Shape x, NDList condition) {
        if (x.dimension() != 4 || x.get(1) != imageShape.channels() || x.get(2) != imageShape.height()
                || x.get(3) != imageShape.width()) {
            throw new IllegalArgumentException("this U-Net takes (N, " + imageShape.channels() + ", "
                    + imageShape.height() + ", " + imageShape.width() + ") inputs, got " + x);
        }
        if (condition.size() != conditions.arrayCount()) {
            throw new IllegalArgumentException("this U-Net takes " + conditions.arrayCount()
                    + " condition arrays after x_t and t, got " + condition.size());
        }
    }

    /** The encoder half (input blocks and middle block). */
    public UNetEncoder getEncoder() {
        return encoder;
    }

    /** Whether the network takes conditions. */
    public boolean isConditional() {
        return !conditions.isEmpty();
    }

    /** D of the context tokens its attention layers read; 0 when it reads none. */
    public int getContextWidth() {
        return conditions.contextWidth();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList condition = new NDList();
        for (int i = 2; i < inputs.size(); i++) {
            condition.add(inputs.get(i));
        }
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), condition, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        long n = x.get(0);
        timeEmbedding.initialize(manager, dataType, new Shape(n));
        conditions.initialize(manager, dataType, n);
        Shape emb = new Shape(n, timeEmbedding.getEmbedDim());
        Shape in = new Shape(n, x.get(1) + conditions.extraChannels(), x.get(2), x.get(3));
        encoder.initialize(manager, dataType, in, emb);
        Shape[] encoded = encoder.getOutputShapes(new Shape[] {in, emb});
        Shape h = encoded[0];
        int next = encoded.length - 1;
        for (TimestepBlock stage : decoder) {
            Shape skip = encoded[next--];
            Shape joined = new Shape(n, h.get(1) + skip.get(1), skip.get(2), skip.get(3));
            stage.initialize(manager, dataType, joined, emb);
            h = stage.outputShape(joined);
        }
        outNorm.initialize(manager, dataType, h);
        outConv.initialize(manager, dataType, h);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), outChannels, x.get(2), x.get(3))};
    }

    public static UNetBuilder builder() {
        return new UNetBuilder();
    }
}
