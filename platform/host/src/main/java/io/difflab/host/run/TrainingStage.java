package io.difflab.host.run;

import ai.djl.ndarray.NDManager;
import io.difflab.api.ImageDataset;
import io.difflab.api.NetworkFile;
import io.difflab.api.Progress;
import io.difflab.api.TrainableNetwork;
import io.difflab.api.TrainedNetworks;
import io.difflab.api.UserError;
import io.difflab.api.tracking.TrackedRun;
import io.difflab.kit.sampling.SeededNoiseSource;
import io.difflab.kit.train.CheckpointStore;
import io.difflab.kit.train.StepSeeds;
import io.difflab.kit.train.TrainSettings;
import io.difflab.kit.train.Trainer;
import io.difflab.kit.train.TrainingJob;
import io.difflab.kit.train.TrainingListener;
import io.difflab.kit.train.TrainingSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The training stage: trains a model's networks in order, each with its own checkpoints and
 * weight average (the primary one under {@code checkpoints/} with unprefixed metrics, the others
 * under {@code checkpoints/<name>/} with metrics prefixed {@code <name>.}), or, with zero steps,
 * restores each from its newest checkpoint. Later networks see the earlier ones, frozen.
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

    /**
     * Trains (or restores) every network in order.
     *
     * @param extra more listeners for the primary network, made for its session and the networks trained
     *              before it (evaluations during training)
     * @return the trained networks by name, in order
     */
    TrainedNetworks train(List<TrainableNetwork> networks, ImageDataset data, TrainSettings settings, Path runDir,
                          BiFunction<TrainingSession, TrainedNetworks, List<TrainingListener>> extra) {
        Map<String, TrainedNetworks.Trained> done = new LinkedHashMap<>();
        for (TrainableNetwork network : networks) {
            TrainedNetworks before = TrainedNetworks.of(done);
            TrainingSession session = train(network, data, settings, runDir,
                    network.primary() ? s -> extra.apply(s, before) : s -> List.of(), before);
            done.put(network.name(), new TrainedNetworks.Trained(network.block(), session.ema().parameterStore(manager)));
        }
        return TrainedNetworks.of(done);
    }

    /**
     * Writes the files {@code network} describes itself with into {@code dir}, each to a hidden temporary
     * file renamed into place, so a reader never sees half of one.
     */
    static void writeFiles(TrainableNetwork network, Path dir) {
        if (network.files().isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, NetworkFile> f : network.files().entrySet()) {
                // a name no one else writes; the writer creates the file (with the usual permissions)
                Path tmp = dir.resolve("." + f.getKey() + "." + java.util.UUID.randomUUID() + ".tmp");
                try {
                    f.getValue().write(tmp);
                    Files.move(tmp, dir.resolve(f.getKey()), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the files of network " + network.name() + " into " + dir, e);
        }
    }

    /** The folder of {@code network}'s checkpoints. */
    static Path checkpointDir(Path runDir, TrainableNetwork network) {
        Path root = runDir.resolve("checkpoints");
        return network.primary() ? root : root.resolve(network.name());
    }

    /** Trains one network (or restores it at zero steps). */
    TrainingSession train(TrainableNetwork network, ImageDataset data, TrainSettings settings, Path runDir,
                          Function<TrainingSession, List<TrainingListener>> extra, TrainedNetworks before) {
        Networks.initialize(network, manager, seed);
        writeFiles(network, checkpointDir(runDir, network));
        TrainSettings own = network.steps() == TrainableNetwork.SPEC_STEPS ? settings
                : new TrainSettings((int) network.steps(), settings.batchSize(), settings.lr(), settings.warmupSteps(),
                        settings.gradClip(), settings.emaDecay(), settings.logEvery(), settings.checkpointEvery());
        CheckpointStore checkpoints = new CheckpointStore(checkpointDir(runDir, network), 2);
        TrainingSession session = new TrainingSession(network.block(), manager);
        if (own.steps() == 0) {
            session.restoreWeights(checkpoints.latest().orElseThrow(() -> new UserError(
                    "train.steps is 0 (sample only) but " + checkpoints.root() + " holds no checkpoint: "
                            + "train first, or resume a run that has one")));
            return session;
        }
        String prefix = network.primary() ? "" : network.name() + ".";
        long salt = prefix.hashCode();
        List<TrainingListener> listeners = new ArrayList<>(List.of(
                new ProgressListener(progress, prefix.isEmpty() ? "train" : "train " + network.name()),
                new TrackingListener(tracked, prefix)));
        listeners.addAll(extra.apply(session));
        new Trainer(own, listeners).train(new TrainingJob(session, network.objective(), data, network.conditions(),
                before, seed ^ salt, manager, checkpoints, resume,
                step -> new SeededNoiseSource(StepSeeds.mix(seed ^ salt, step))));
        return session;
    }
}
