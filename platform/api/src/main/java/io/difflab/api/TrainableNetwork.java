package io.difflab.api;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A network a model trains: the estimator, or an auxiliary network (a noise-aware classifier, CLIP,
 * a dVAE, a diffusion prior). The host trains each with the same trainer, in the model's order,
 * with its own checkpoints and weight average; later networks and guidance heads reach it by
 * {@code name} through {@link TrainedNetworks}.
 *
 * @param name        its name: checkpoints under {@code checkpoints/<name>/}, metrics prefixed
 *                    {@code <name>.} (the primary network's go to {@code checkpoints/} and unprefixed)
 * @param block       the uninitialized network
 * @param inputShapes the shapes to initialize it with (batch dimension 1)
 * @param objective   its loss
 * @param conditions  the conditions its training batches carry, encoded from the dataset's fields in
 *                    this order (the order of its inputs after x_t and t, for an estimator)
 * @param steps       optimizer steps, or {@link #SPEC_STEPS} for the spec's {@code train.steps}
 * @param primary     whether it is the model's primary network (the one {@code train.steps} counts)
 * @param files       files the host writes beside its checkpoints, by file name (e.g. its architecture and
 *                    vocabulary, so another run can rebuild it); usually none
 */
public record TrainableNetwork(String name, Block block, Shape[] inputShapes, TrainingObjective objective,
                               List<ConditionEncoder> conditions, long steps, boolean primary,
                               Map<String, NetworkFile> files) {

    /** Steps from the spec's {@code train.steps}. */
    public static final long SPEC_STEPS = -1;

    /** A network without files beside its checkpoints. */
    public TrainableNetwork(String name, Block block, Shape[] inputShapes, TrainingObjective objective,
                            List<ConditionEncoder> conditions, long steps, boolean primary) {
        this(name, block, inputShapes, objective, conditions, steps, primary, Map.of());
    }

    public TrainableNetwork {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(objective, "objective");
        conditions = List.copyOf(conditions);
        inputShapes = inputShapes.clone();
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        for (String file : files.keySet()) {
            if (file.isBlank() || file.contains("/") || file.contains("\\") || file.startsWith(".")
                    || file.startsWith("step-")) {
                throw new IllegalArgumentException(name + ": '" + file + "' is not a plain file name for its checkpoints"
                        + " folder");
            }
        }
        if (steps < 0 && steps != SPEC_STEPS) {
            throw new IllegalArgumentException(name + ": steps must be >= 0, got " + steps);
        }
    }

    /** The primary network, trained for the spec's {@code train.steps}. */
    public static TrainableNetwork primary(String name, Block block, Shape[] inputShapes, TrainingObjective objective,
                                           List<ConditionEncoder> conditions) {
        return new TrainableNetwork(name, block, inputShapes, objective, conditions, SPEC_STEPS, true);
    }

    /** An auxiliary network trained for {@code steps} after the networks before it. */
    public static TrainableNetwork auxiliary(String name, Block block, Shape[] inputShapes,
                                             TrainingObjective objective, List<ConditionEncoder> conditions,
                                             long steps) {
        return new TrainableNetwork(name, block, inputShapes, objective, conditions, steps, false);
    }

    /** This network with {@code files} written beside its checkpoints. */
    public TrainableNetwork withFiles(Map<String, NetworkFile> files) {
        return new TrainableNetwork(name, block, inputShapes, objective, conditions, steps, primary, files);
    }

    @Override
    public Shape[] inputShapes() {
        return inputShapes.clone();
    }
}
