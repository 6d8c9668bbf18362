package io.difflab.api;

import java.util.List;

/**
 * What the model family asks of a noise estimator.
 *
 * @param imageShape     the shape of x_t
 * @param conditions     the conditions it consumes, in the order they follow x_t and t in its input
 * @param learnsVariance whether it also outputs the variance interpolation v (the output then has
 *                       2C channels)
 */
public record EstimatorSpec(ImageShape imageShape, List<ConditionInput> conditions, boolean learnsVariance) {

    public EstimatorSpec {
        conditions = List.copyOf(conditions);
    }

    /** Conditioned on {@code numClasses} class labels (none when 0). */
    public EstimatorSpec(ImageShape imageShape, int numClasses, boolean learnsVariance) {
        this(imageShape, numClasses > 0 ? List.of(ConditionInput.labels(numClasses)) : List.of(), learnsVariance);
    }

    /** Whether it consumes any condition. */
    public boolean conditional() {
        return !conditions.isEmpty();
    }

    /** The classes of its {@code label} condition, or 0 when it takes no labels. */
    public int numClasses() {
        return conditions.stream().filter(c -> c.kind() == ConditionKind.LABEL).mapToInt(ConditionInput::cardinality)
                .findFirst().orElse(0);
    }

    /** Channels of the network's output: C, or 2C with learned variance. */
    public int outputChannels() {
        return learnsVariance ? 2 * imageShape.channels() : imageShape.channels();
    }
}
