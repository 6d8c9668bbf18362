package io.difflab.host.sweep;

import io.difflab.api.UserError;
import io.difflab.host.run.TrainedModel;
import io.difflab.host.run.TrainingKey;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Who trains what: the first cell of a training key (in the order cells are started) trains it;
 * the other cells of the key wait until that training is finished (its {@link TrainedModel} marker
 * appears, before the training cell samples) and then start from it. A finished training anywhere
 * under the runs folder (an earlier sweep's, a plain run's) serves every cell of its key.
 */
final class TrainingShares {

    private static final long POLL_MILLIS = TimeUnit.SECONDS.toMillis(1);

    private final Path runsRoot;
    private final Map<String, String> trainers = new HashMap<>();
    private final Map<String, String> failed = new HashMap<>();

    /** @param cells the cells to run, in the order they start: the first of each key trains it */
    TrainingShares(Path runsRoot, java.util.List<SweepCell> cells) {
        this.runsRoot = runsRoot;
        cells.forEach(c -> trainers.putIfAbsent(c.trainingKey(), c.id()));
    }

    /**
     * The finished training {@code cell} starts from, or empty when it is to train itself.
     * Blocks while another cell trains its key.
     *
     * @throws UserError when the cell that trained its key failed to
     */
    Optional<Path> source(SweepCell cell) throws InterruptedException {
        String key = cell.trainingKey();
        synchronized (this) {
            while (true) {
                Optional<Path> found = TrainedModel.find(runsRoot, key);
                if (found.isPresent()) {
                    return found;
                }
                if (failed.containsKey(key)) {
                    throw new UserError("the training it shares (key " + TrainingKey.shortForm(key) + ") failed in cell "
                            + failed.get(key));
                }
                if (cell.id().equals(trainers.get(key))) {
                    return Optional.empty();
                }
                wait(POLL_MILLIS);
            }
        }
    }

    /** The cell that was to train its key ended; {@code runDir} is its run folder. */
    synchronized void ended(SweepCell cell, Path runDir) {
        String key = cell.trainingKey();
        if (cell.id().equals(trainers.get(key)) && !TrainedModel.keyOf(runDir).filter(key::equals).isPresent()) {
            failed.put(key, cell.id());
        }
        notifyAll();
    }

    /** The cell that trains {@code key} when no finished training of it is found. */
    synchronized Optional<String> trainer(String key) {
        return Optional.ofNullable(trainers.get(key));
    }
}
