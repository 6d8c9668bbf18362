package io.difflab.kit.train;

import ai.djl.ndarray.NDManager;
import io.difflab.api.ConditionEncoder;
import io.difflab.api.ImageDataset;
import io.difflab.api.NoiseSource;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.TrainingObjective;

import java.util.List;
import java.util.function.LongFunction;

/**
 * What one training run needs.
 *
 * @param session      the network with its optimizer and weight average
 * @param objective    the model family's loss
 * @param data         the training split
 * @param conditions   the conditions each batch carries, encoded from the dataset's fields
 * @param trained      the networks trained before this one, for its objective
 * @param seed         the run's seed: data order, noise and the engine's RNG derive from it and the step
 * @param manager      the device manager for the step sub-managers
 * @param checkpoints  where checkpoints go
 * @param resume       continue from the newest checkpoint, if any
 * @param noiseForStep the noise source of a step, a pure function of the step (and the seed)
 */
public record TrainingJob(TrainingSession session, TrainingObjective objective, ImageDataset data,
                          List<ConditionEncoder> conditions, TrainedNetworks trained, long seed, NDManager manager,
                          CheckpointStore checkpoints, boolean resume, LongFunction<NoiseSource> noiseForStep) {

    public TrainingJob {
        conditions = List.copyOf(conditions);
    }
}
