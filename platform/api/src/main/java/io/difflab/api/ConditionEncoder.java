package io.difflab.api;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.List;

/**
 * Turns the raw values of one condition field (a dataset item's class label or caption, a prompt
 * from the spec, a reference image) into a batch's arrays of one {@link ConditionKind}. A
 * {@code null} value stands for ∅ and encodes to the kind's null value. Model families declare
 * the encoders of what their networks consume, guidance heads those of what they steer by; the
 * host encodes training batches and sampling requests with them and knows nothing of the kinds.
 */
public interface ConditionEncoder {

    /** The entry's name in a batch's {@link Condition} (e.g. {@code label}, {@code caption}). */
    String name();

    /** The raw field it reads: a {@link ConditionFields} name or a dataset's own. */
    String field();

    /** The kind of the arrays it makes. */
    ConditionKind kind();

    /**
     * The arrays for {@code values}, one row per value, created by {@code manager}.
     *
     * @param values raw values of {@link #field()}'s type, {@code null} for ∅
     */
    NDList encode(List<?> values, NDManager manager);

    /** The entry for {@code values}: {@link #kind()} and {@link #encode}. */
    default Condition.Entry entry(List<?> values, NDManager manager) {
        return new Condition.Entry(kind(), encode(values, manager));
    }
}
