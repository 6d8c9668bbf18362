package io.difflab.host.run;

import ai.djl.ndarray.NDManager;
import io.difflab.api.AuxiliaryNetwork;
import io.difflab.api.EstimatorNetwork;
import io.difflab.api.ImageDataset;
import io.difflab.api.Progress;
import io.difflab.api.TrainingObjective;
import io.difflab.api.UserError;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.train.TrainSettings;
import io.difflab.kit.train.CheckpointStore;
import io.difflab.kit.train.StepSeeds;
import io.difflab.kit.train.Trainer;
import io.difflab.kit.train.TrainingListener;
import io.difflab.kit.train.TrainingJob;
import io.difflab.kit.train.TrainingSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Trains one network of a run (the estimator or an auxiliary network) with its own checkpoints,
 * or, with zero steps, restores it from its newest checkpoint.
 */
final class TrainingStage {

    private final Progress.Factory progress;
    private final TrackedRun tracked;
    private final NDManager manager;
    private final long seed;
    private final boolean resume;

    TrainingStage(Progress.Factory progress, TrackedRun tracked, NDManager manager, long seed, boolean resume) {
        this.progress = progress;
        this.tracked = tracked;
        this.manager = manager;
        this.seed = seed;
        this.resume = resume;
    }

    /** Trains the estimator; checkpoints under {@code checkpoints/}. */
    TrainingSession estimator(EstimatorNetwork network, TrainingObjective objective, ImageDataset data,
                              TrainSettings settings, Path runDir) {
        return estimator(network, objective, data, settings, runDir, session -> List.of());
    }

    /** Trains the estimator with more listeners, made for its session (e.g. evaluations during training). */
    TrainingSession estimator(EstimatorNetwork network, TrainingObjective objective, ImageDataset data,
                              TrainSettings settings, Path runDir,
                              Function<TrainingSession, List<TrainingListener>> extra) {
        Networks.initialize(network, manager, seed);
        return train("", network.block(), objective, data, network.spec().conditional(), settings,
                new CheckpointStore(runDir.resolve("checkpoints"), 2), extra);
    }

    /** Trains an auxiliary network; checkpoints under {@code checkpoints/<name>/}, metrics prefixed {@code <name>.}. */
    TrainingSession auxiliary(AuxiliaryNetwork network, ImageDataset data, TrainSettings settings, Path runDir) {
        Networks.initialize(network, manager, seed);
        TrainSettings own = new TrainSettings((int) network.steps(), settings.batchSize(), settings.lr(),
                settings.warmupSteps(), settings.gradClip(), settings.emaDecay(), settings.logEvery(),
                settings.checkpointEvery());
        return train(network.name() + ".", network.block(), network.objective(), data, network.labeled(), own,
                new CheckpointStore(runDir.resolve("checkpoints").resolve(network.name()), 2), session -> List.of());
    }

    private TrainingSession train(String prefix, ai.djl.nn.Block block, TrainingObjective objective,
                                  ImageDataset data, boolean labeled, TrainSettings settings,
                                  CheckpointStore checkpoints,
                                  Function<TrainingSession, List<TrainingListener>> extra) {
        TrainingSession session = new TrainingSession(block, manager);
        if (settings.steps() == 0) {
            session.restoreWeights(checkpoints.latest().orElseThrow(() -> new UserError(
                    "train.steps is 0 (sample only) but " + checkpoints.root() + " holds no checkpoint: "
                            + "train first, or resume a run that has one")));
            return session;
        }
        long salt = prefix.hashCode();
        List<TrainingListener> listeners = new ArrayList<>(List.of(
                new ProgressListener(progress, prefix.isEmpty() ? "train" : "train " + prefix.replace(".", "")),
                new TrackingListener(tracked, prefix)));
        listeners.addAll(extra.apply(session));
        Trainer trainer = new Trainer(settings, listeners);
        trainer.train(new TrainingJob(session, objective, data, labeled, seed ^ salt, manager, checkpoints, resume,
                step -> new SeededNoiseSource(StepSeeds.mix(seed ^ salt, step))));
        return session;
    }
}
