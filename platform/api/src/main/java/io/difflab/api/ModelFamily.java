package io.difflab.api;

import org.pf4j.ExtensionPoint;

import java.util.List;
import java.util.Map;

/**
 * Extension point: the recipe of one surveyed model, selected by {@code model.name}: which
 * components it uses by default, what its estimator must output, and how it is trained.
 */
public interface ModelFamily extends ExtensionPoint, Named {

    /**
     * Spec values this recipe sets unless the user's spec does, as dotted key paths
     * ({@code schedule.name -> linear}, {@code schedule.timesteps -> 1000}).
     */
    Map<String, Object> defaults();

    /** What the estimator must output for a dataset with {@code numClasses} classes. */
    EstimatorSpec estimatorSpec(Config model, ImageShape shape, int numClasses);

    /** The training loss of the main estimator on the full schedule. */
    TrainingObjective objective(Config model, DiffusionSchedule schedule);

    /**
     * The training loss of the main estimator built to {@code spec}, for objectives that depend on
     * it (e.g. the null label {@code spec.numClasses()} of condition dropout). The host calls this
     * one; by default it is {@link #objective(Config, DiffusionSchedule)}.
     */
    default TrainingObjective objective(Config model, DiffusionSchedule schedule, EstimatorSpec spec) {
        return objective(model, schedule);
    }

    /**
     * Networks trained besides the estimator, after it (e.g. GD's noise-aware classifier);
     * none by default.
     */
    default List<AuxiliaryNetwork> auxiliaryNetworks(Config model, DiffusionSchedule schedule, ImageShape shape,
                                                     int numClasses) {
        return List.of();
    }
}
