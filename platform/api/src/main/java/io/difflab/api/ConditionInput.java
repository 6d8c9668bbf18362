package io.difflab.api;

import ai.djl.ndarray.types.Shape;

import java.util.List;
import java.util.Objects;

/**
 * One condition a network consumes, as its builder needs to know it.
 *
 * @param name        the entry's name in a {@link Condition}
 * @param kind        its kind
 * @param itemShapes  the shape of each of its arrays for one item (without the batch dimension):
 *                    {@code ()} for a label, {@code (L), (L)} for tokens and mask, {@code (L, D), (L)}
 *                    for token states and mask, {@code (D)} for an embedding, {@code (C, H, W)} for an
 *                    image
 * @param cardinality the number of values a discrete condition takes (classes, vocabulary size), or 0
 */
public record ConditionInput(String name, ConditionKind kind, List<Shape> itemShapes, int cardinality) {

    public ConditionInput {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        itemShapes = List.copyOf(itemShapes);
        if (itemShapes.isEmpty()) {
            throw new IllegalArgumentException("condition '" + name + "' needs the shape of its arrays");
        }
    }

    /** Class labels under {@value Condition#LABEL}, {@code classes} of them (the null label is {@code classes}). */
    public static ConditionInput labels(int classes) {
        return new ConditionInput(Condition.LABEL, ConditionKind.LABEL, List.of(new Shape()), classes);
    }

    /** The shapes of its arrays for a batch of {@code n}. */
    public Shape[] batchShapes(long n) {
        Shape[] out = new Shape[itemShapes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Shape(n).addAll(itemShapes.get(i));
        }
        return out;
    }
}
