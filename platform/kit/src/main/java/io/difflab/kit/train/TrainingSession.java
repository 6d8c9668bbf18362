package io.difflab.kit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import java.util.Properties;

/**
 * The trainable state of one network: its weights, their moving average and the optimizer's
 * moments, with the operations on all three together (step, checkpoint, restore).
 */
public final class TrainingSession {

    private final Block block;
    private final PairList<String, Parameter> trainable = new PairList<>();
    private final AdamOptimizer optimizer;
    private final WeightEma ema;
    private final NDManager manager;

    /** @param block an initialized network; its state arrays live in {@code manager} */
    public TrainingSession(Block block, NDManager manager) {
        this.block = block;
        this.manager = manager;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                trainable.add(p);
            }
        }
        this.optimizer = new AdamOptimizer(trainable, manager);
        this.ema = new WeightEma(trainable, manager);
    }

    public Block block() {
        return block;
    }

    public WeightEma ema() {
        return ema;
    }

    public AdamOptimizer optimizer() {
        return optimizer;
    }

    /** A parameter store for training forwards (the raw weights). */
    public ParameterStore trainingStore() {
        return new ParameterStore(manager, false);
    }

    /**
     * The global L2 norm of all gradients, √Σ‖g‖², one device read; the factor that clips it to
     * {@code maxNorm} is min(1, maxNorm / norm) (Pascanu et al. 2013).
     */
    public double gradientNorm() {
        try (NDManager scratch = manager.newSubManager()) {
            NDList squares = new NDList(trainable.size());
            for (Pair<String, Parameter> p : trainable) {
                NDArray g = p.getValue().getArray().getGradient();
                g.attach(scratch);
                squares.add(g.square().sum().reshape(1));
            }
            return Math.sqrt(NDArrays.concat(squares).sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                    .getDouble());
        }
    }

    /** Writes the three states plus {@code state} through {@code store}. */
    public Checkpoint checkpoint(CheckpointStore store, long step, Properties state) {
        try (NDManager scratch = manager.newSubManager()) {
            NDList model = ParameterStates.snapshot(ParameterStates.arraysOf(trainable), "w.");
            NDList avg = ema.state();
            NDList opt = optimizer.state(scratch);
            model.attach(scratch);
            avg.attach(scratch);
            opt.attach(scratch);
            state.setProperty("step", Long.toString(step));
            return store.write(step, model, avg, opt, state);
        }
    }

    /** Restores weights, average and optimizer from {@code checkpoint}. */
    public void restore(Checkpoint checkpoint) {
        try (NDManager scratch = manager.newSubManager()) {
            ParameterStates.restore(ParameterStates.arraysOf(trainable),
                    CheckpointStore.read(checkpoint.model(), scratch), "w.");
            ema.restore(CheckpointStore.read(checkpoint.ema(), scratch));
            optimizer.restore(CheckpointStore.read(checkpoint.optimizer(), scratch));
        }
    }

    /** Restores only the weights and their average (for sampling from a finished run). */
    public void restoreWeights(Checkpoint checkpoint) {
        try (NDManager scratch = manager.newSubManager()) {
            ParameterStates.restore(ParameterStates.arraysOf(trainable),
                    CheckpointStore.read(checkpoint.model(), scratch), "w.");
            ema.restore(CheckpointStore.read(checkpoint.ema(), scratch));
        }
    }
}
