package io.difflab.kit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One training step's network passes, data-parallel over CPU cores: each forward the objective asks
 * for runs as k shards of the batch on {@link BatchShards}' workers (one PyTorch thread each, grad
 * mode on), and the step's backward runs in two parts. The objective sees the joined outputs as
 * leaves of its own graph, so {@code collector.backward(loss)} on the caller's thread computes the loss's
 * gradient with respect to each shard's outputs only; {@link #backward()} then sends each shard's
 * part through its own network graph on its own worker, all at once, and PyTorch accumulates every
 * shard's parameter gradients into the parameters'. The parameters' gradients are the whole batch's
 * (the chain rule through a concatenation), up to float32 rounding.
 *
 * <p>Exactness: PyTorch adds each shard's gradient into the parameter's in whichever order the
 * workers finish. With two shards that is a + b or b + a, the same float (addition is commutative),
 * so a step is a pure function of its inputs as before; with three, (a + b) + c and (a + c) + b can
 * differ in the last bit (it is not associative), so training uses at most two shards. With another
 * shard count a step rounds differently; the trainer keeps a run's count in its checkpoints. Engine randomness drawn inside the network (dropout)
 * would be drawn by the workers in no fixed order, so a network with a dropout block trains unsharded
 * ({@link #stochastic}).
 */
public final class ShardedStep implements AutoCloseable {

    /** The most shards whose gradients sum to the same float in any order of arrival. */
    static final int MAX_SHARDS = 2;

    private final Block block;
    private final ParameterStore parameters;
    private final int shards;
    private final List<Call> calls = new ArrayList<>();

    /** One forward's shards: their outputs in their networks' graphs, and the leaves the objective saw. */
    private record Call(List<NDManager> managers, List<NDList> outputs, List<NDList> leaves) {
    }

    private ShardedStep(Block block, ParameterStore parameters, int shards) {
        this.block = block;
        this.parameters = parameters;
        this.shards = shards;
    }

    /** A step that shards each forward k ways ({@code shards} 1: the block's own forward). */
    public static ShardedStep of(Block block, ParameterStore parameters, int shards) {
        return new ShardedStep(block, parameters, shards);
    }

    /**
     * The shards a training run of {@code block} gets on this thread: 2 when the caller's PyTorch
     * thread count or {@code -Ddifflab.shards} is 2 or more (see above); 1 for a network that is not
     * {@link RowIndependent}, off the CPU, on a shard worker or with a dropout block.
     */
    public static int shardsFor(Block block, NDManager manager) {
        if (!(block instanceof RowIndependent) || stochastic(block)) {
            return 1;
        }
        return Math.min(MAX_SHARDS, BatchShards.configuredShards(manager.getDevice()));
    }

    /** Whether the network draws engine randomness in training: a DJL dropout block or a block that says so. */
    static boolean stochastic(Block block) {
        if (block instanceof ai.djl.nn.norm.Dropout || block instanceof Stochastic s && s.drawsInTraining()) {
            return true;
        }
        return block.getChildren().values().stream().anyMatch(ShardedStep::stochastic);
    }

    /** Whether a forward of this step ran as shards (it did not if its batch had fewer than two rows per shard). */
    public boolean sharded() {
        return !calls.isEmpty();
    }

    /** {@code block.forward(parameters, inputs, true)}, sharded when every input has the batch first. */
    public NDList forward(NDList inputs) {
        long rows = inputs.head().getShape().get(0);
        if (shards == 1 || rows < 2L * shards || !BatchShards.batchFirst(inputs, rows)) {
            return block.forward(parameters, inputs, true);
        }
        List<NDManager> managers = new ArrayList<>(shards);
        List<Callable<NDList>> tasks = new ArrayList<>(shards);
        for (NDList slice : BatchShards.slices(inputs, shards, managers)) {
            tasks.add(() -> {
                JniUtils.setGradMode(true); // thread-local in PyTorch: the caller's collector does not reach here
                try {
                    return block.forward(parameters, slice, true);
                } finally {
                    JniUtils.setGradMode(false);
                }
            });
        }
        Call call = new Call(managers, new ArrayList<>(shards), new ArrayList<>(shards));
        calls.add(call); // closed with the step even if a shard fails
        call.outputs().addAll(BatchShards.runAll(tasks));
        for (NDList out : call.outputs()) {
            NDList cut = new NDList(out.size());
            for (NDArray o : out) {
                NDArray leaf = o.stopGradient();
                leaf.setRequiresGradient(true);
                cut.add(leaf);
            }
            call.leaves().add(cut);
        }
        return BatchShards.join(call.leaves(), inputs.head().getManager());
    }

    /**
     * After the caller's backward of the loss: each shard's gradient through its network, every
     * shard on its worker at once. A no-op when nothing was sharded.
     */
    public void backward() {
        if (calls.isEmpty()) {
            return;
        }
        List<Callable<NDList>> tasks = new ArrayList<>(shards);
        for (int s = 0; s < shards; s++) {
            int shard = s;
            tasks.add(() -> {
                List<NDArray[]> roots = new ArrayList<>();
                for (Call c : calls) {
                    for (int o = 0; o < c.outputs().get(shard).size(); o++) {
                        roots.add(new NDArray[] {c.outputs().get(shard).get(o), c.leaves().get(shard).get(o).getGradient()});
                    }
                }
                for (int r = 0; r < roots.size(); r++) {
                    // outputs of one forward share its graph: keep it until the last of them
                    JniUtils.backward((PtNDArray) roots.get(r)[0], (PtNDArray) roots.get(r)[1], r < roots.size() - 1, false);
                }
                return null;
            });
        }
        BatchShards.runAll(tasks);
    }

    /** Frees every shard's arrays and graph. */
    @Override
    public void close() {
        for (Call c : calls) {
            c.managers().forEach(NDManager::close);
        }
        calls.clear();
    }

    /** A block that draws engine randomness in training (a dropout inside its own forward). */
    public interface Stochastic {
        /** Whether a training forward draws random numbers from the engine. */
        boolean drawsInTraining();
    }
}
