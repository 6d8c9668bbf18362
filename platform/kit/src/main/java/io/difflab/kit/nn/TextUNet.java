package io.difflab.kit.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.difflab.api.ConditionInput;
import io.difflab.api.ConditionKind;
import io.difflab.kit.engine.RowIndependent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link UNet} that reads token ids through text encoders trained with it, as GLIDE's
 * text-conditional ADM does (Nichol et al. 2021, sec. 3.1; glide-text2im's {@code Text2ImUNet}):
 * each token condition's ids and mask go through its {@link TextEncoder}; the token states become
 * context tokens that every attention layer appends to its keys and values, padding masked out, and
 * the pooled vector is projected and added to the timestep embedding. The other conditions reach
 * the U-Net as they are, so a caption combines with labels, embeddings (unCLIP's decoder, whose
 * CLIP image embedding may also add context tokens: {@link UNetBuilder#optContextTokens}) and
 * images.
 *
 * <p>Inputs as {@code io.difflab.api.EstimatorNetwork} defines them: x_t, t, then each condition's
 * arrays in order, token conditions as ids (N, L) and mask (N, L) int32. Inside, token condition
 * {@code c} is the U-Net's token states {@code c} ((L, D) and (L)) followed by its embedding
 * {@code c_pooled} ((D)).
 */
public final class TextUNet extends AbstractBlock implements RowIndependent {

    /** The suffix of the U-Net embedding condition that carries a token condition's pooled vector. */
    public static final String POOLED = "_pooled";

    private final List<ConditionInput> conditions;
    private final Map<String, TextEncoder> encoders = new LinkedHashMap<>();
    private final UNet unet;

    private TextUNet(List<ConditionInput> conditions, Map<String, TextEncoder> made, UNetBuilder unet) {
        this.conditions = List.copyOf(conditions);
        made.forEach((name, e) -> encoders.put(name, addChildBlock(name + "_encoder", e)));
        List<ConditionInput> inner = new ArrayList<>();
        for (ConditionInput c : conditions) {
            TextEncoder e = encoders.get(c.name());
            if (e == null) {
                inner.add(c);
                continue;
            }
            Shape length = c.itemShapes().get(0);
            inner.add(new ConditionInput(c.name(), ConditionKind.TOKEN_STATES,
                    List.of(length.addAll(new Shape(e.width())), length), 0));
            inner.add(new ConditionInput(c.name() + POOLED, ConditionKind.EMBEDDING, List.of(new Shape(e.width())), 0));
        }
        this.unet = addChildBlock("unet", unet.optConditions(inner).build());
    }

    /**
     * A network over {@code conditions}, each token condition read by the encoder {@code encoders}
     * makes for it.
     *
     * @param unet       the U-Net's settings; its conditions are set here
     * @param conditions what the network consumes, in input order; token conditions (at least one)
     *                   give their vocabulary size as cardinality
     * @param encoders   makes the encoder of a token condition
     * @throws IllegalArgumentException when there is no token condition, or an encoder does not fit its condition
     */
    public static TextUNet of(UNetBuilder unet, List<ConditionInput> conditions,
                              Function<ConditionInput, TextEncoder> encoders) {
        Objects.requireNonNull(unet, "unet");
        Map<String, TextEncoder> made = new LinkedHashMap<>();
        for (ConditionInput c : conditions) {
            if (c.kind() != ConditionKind.TOKENS) {
                continue;
            }
            if (c.itemShapes().size() != 2 || c.itemShapes().get(0).dimension() != 1
                    || !c.itemShapes().get(0).equals(c.itemShapes().get(1)) || c.cardinality() <= 0) {
                throw new IllegalArgumentException("token condition '" + c.name() + "' must give ids and mask of "
                        + "shape (L) and its vocabulary size, got " + c.itemShapes() + " and " + c.cardinality());
            }
            TextEncoder e = encoders.apply(c);
            long length = c.itemShapes().get(0).get(0);
            if (e.contextLength() != length || e.vocabularySize() < c.cardinality()) {
                throw new IllegalArgumentException("the text encoder of '" + c.name() + "' takes " + e.contextLength()
                        + " ids from " + e.vocabularySize() + ", but the condition has " + length + " ids from "
                        + c.cardinality());
            }
            made.put(c.name(), e);
        }
        if (made.isEmpty()) {
            throw new IllegalArgumentException("a text U-Net reads token ids, and none of its conditions "
                    + conditions.stream().map(c -> c.name() + ":" + c.kind().name()).toList() + " are tokens");
        }
        return new TextUNet(conditions, made, unet);
    }

    /** The U-Net inside. */
    public UNet getUNet() {
        return unet;
    }

    /** The encoder of token condition {@code name}. */
    public TextEncoder getTextEncoder(String name) {
        TextEncoder e = encoders.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no token condition '" + name + "' (there are " + encoders.keySet() + ")");
        }
        return e;
    }

    /**
     * Predicts from x_t under conditions.
     *
     * @param condition the arrays of each condition, in the order the network was built with
     * @return (N, outChannels, H, W), in the manager of {@code x}
     */
    public NDArray forward(ParameterStore ps, NDArray x, NDArray t, NDList condition, boolean training) {
        NDArray[] borrowed = new NDArray[2 + condition.size()];
        borrowed[0] = x;
        borrowed[1] = t;
        for (int i = 0; i < condition.size(); i++) {
            borrowed[2 + i] = condition.get(i);
        }
        try (ForwardScope s = ForwardScope.open(borrowed)) {
            NDList inner = new NDList();
            int next = 0;
            for (ConditionInput c : conditions) {
                TextEncoder e = encoders.get(c.name());
                if (e == null) {
                    for (int i = 0; i < c.itemShapes().size(); i++) {
                        inner.add(condition.get(next + i));
                    }
                } else {
                    NDArray mask = condition.get(next + 1);
                    TextEncoder.Encoding text = e.encode(ps, condition.get(next), mask, training);
                    inner.add(text.states());
                    inner.add(mask);
                    inner.add(text.pooled());
                }
                next += c.itemShapes().size();
            }
            if (next != condition.size()) {
                throw new IllegalArgumentException("this network takes " + next + " condition arrays after x_t and t, "
                        + "got " + condition.size());
            }
            return s.keep(unet.forward(ps, x, t, inner, training));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), inputs.subNDList(2), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        List<Shape> inner = new ArrayList<>(List.of(inputShapes[0], inputShapes[1]));
        for (ConditionInput c : conditions) {
            TextEncoder e = encoders.get(c.name());
            if (e == null) {
                inner.addAll(List.of(c.batchShapes(n)));
                continue;
            }
            Shape ids = c.batchShapes(n)[0];
            e.initialize(manager, dataType, ids, ids);
            inner.addAll(List.of(e.getOutputShapes(new Shape[] {ids, ids})[0], ids,
                    e.getOutputShapes(new Shape[] {ids, ids})[1]));
        }
        unet.initialize(manager, dataType, inner.toArray(Shape[]::new));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return unet.getOutputShapes(inputShapes);
    }
}
