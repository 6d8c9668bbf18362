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
 * The contracting half of the U-Net plus its middle block (guided-diffusion's input_blocks and
 * middle_block): an input 3x3 conv, then per level {@code numResBlocks} residual blocks (with
 * attention at the chosen resolutions) and a downsampling step, then ResBlock, attention,
 * ResBlock. Reusable on its own, e.g. for the noise-aware classifier of Dhariwal &amp; Nichol 2021.
 *
 * <p>Inputs x (N, C, H, W) and the embedding (N, E); outputs [h, skip_0, ..., skip_K]: the
 * middle block's output, then the output of every input block, in order, for the decoder.
 */
public final class UNetEncoder extends AbstractBlock {

    private final Conv inputConv;
    private final List<TimestepBlock> stages = new ArrayList<>();
    private final TimestepSequential middle;
    private final int outChannels;

    UNetEncoder(UNetBuilder b) {
        int ch = b.baseChannels * b.channelMult.get(0);
        inputConv = addChildBlock("input_conv", Conv.of(b.inputChannels(), ch, 3, 1));
        int levels = b.channelMult.size();
        for (int level = 0; level < levels; level++) {
            int width = b.baseChannels * b.channelMult.get(level);
            for (int i = 0; i < b.numResBlocks; i++) {
                TimestepSequential stage = new TimestepSequential().add("res", b.resBlock(ch, width).build());
                ch = width;
                if (b.hasAttention(level)) {
                    stage.add("attention", b.attention(ch));
                }
                stages.add(addChildBlock("level" + level + "_" + i, stage));
            }
            if (level != levels - 1) {
                TimestepBlock down = b.resblockUpdown ? b.resBlock(ch, ch).optDown().build()
                        : new Downsample(ch, ch, b.convResample);
                stages.add(addChildBlock("level" + level + "_down", down));
            }
        }
        middle = addChildBlock("middle", new TimestepSequential()
                .add("res1", b.resBlock(ch, ch).build())
                .add("attention", b.attention(ch))
                .add("res2", b.resBlock(ch, ch).build()));
        outChannels = ch;
    }

    /**
     * Encodes x.
     *
     * @return [h, skip_0, ..., skip_K], in the manager of {@code x}
     */
    public NDList forward(ParameterStore ps, NDArray x, NDArray emb, boolean training) {
        return forward(ps, x, emb, null, training);
    }

    /**
     * Encodes x, its attention layers also reading {@code context}.
     *
     * @param context the context tokens, or null for none
     * @return [h, skip_0, ..., skip_K], in the manager of {@code x}
     */
    public NDList forward(ParameterStore ps, NDArray x, NDArray emb, ContextTokens context, boolean training) {
        NDList skips = new NDList();
        NDArray h = inputConv.forward(ps, x, training);
        skips.add(h);
        for (TimestepBlock stage : stages) {
            h = stage.forward(ps, h, emb, context, training);
            skips.add(h);
        }
        NDList out = new NDList(skips.size() + 1);
        out.add(middle.forward(ps, h, emb, context, training));
        out.addAll(skips);
        return out;
    }

    /** Channels of the middle block's output. */
    public int getOutChannels() {
        return outChannels;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return forward(ps, inputs.get(0), inputs.get(1), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape emb = inputShapes[1];
        inputConv.initialize(manager, dataType, inputShapes[0]);
        Shape h = inputConv.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        for (TimestepBlock stage : stages) {
            stage.initialize(manager, dataType, h, emb);
            h = stage.outputShape(h);
        }
        middle.initialize(manager, dataType, h, emb);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        List<Shape> skips = new ArrayList<>();
        Shape h = inputConv.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        skips.add(h);
        for (TimestepBlock stage : stages) {
            h = stage.outputShape(h);
            skips.add(h);
        }
        List<Shape> out = new ArrayList<>();
        out.add(middle.outputShape(h));
        out.addAll(skips);
        return out.toArray(new Shape[0]);
    }
}
