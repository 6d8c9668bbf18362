package io.difflab.kit.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
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
 * shard count a step rounds differently; the trainer keeps a run's count in its checkpoints.
 *
 * <p>Dropout: the workers reach the network's dropout layers in no fixed order, so masks they drew
 * from PyTorch's one generator themselves would differ from run to run. A layer that drops through
 * {@link #dropout} instead gets the rows of its shard from the whole batch's mask, drawn once by the
 * first shard to arrive, under a lock, with the same kernel and the same generator as an unsharded
 * forward. Every shard passes the layers in network order, so the first arrivals, and with them
 * the generator's draws, come in that order: the masks are the unsharded step's, bit for bit. A DJL
 * {@code Dropout} block, or any block that says it draws ({@link Stochastic}), draws its own, so a
 * network with one trains unsharded ({@link #stochastic}).
 */
public final class ShardedStep implements AutoCloseable {

    /** The most shards whose gradients sum to the same float in any order of arrival. */
    static final int MAX_SHARDS = 2;

    private final Block block;
    private final ParameterStore parameters;
    private final int shards;
    private final List<Call> calls = new ArrayList<>();

    /** The dropout masks of the forward a shard worker is running, and its shard; unset elsewhere. */
    private static final ThreadLocal<ShardDraws> DRAWS = new ThreadLocal<>();

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
     * {@link RowIndependent}, off the CPU, on a shard worker, or with a DJL dropout block or a
     * {@link Stochastic} block that draws.
     */
    public static int shardsFor(Block block, NDManager manager) {
        if (!(block instanceof RowIndependent) || stochastic(block)) {
            return 1;
        }
        return Math.min(MAX_SHARDS, BatchShards.configuredShards(manager.getDevice()));
    }

    /** Whether the network holds a block that draws engine randomness itself: a DJL dropout block or a {@link Stochastic} one. */
    static boolean stochastic(Block block) {
        if (block instanceof Dropout || block instanceof Stochastic s && s.drawsInTraining()) {
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
        if (shards == 1 || !BatchShards.splittable(inputs, shards)) {
            return block.forward(parameters, inputs, true);
        }
        List<NDManager> managers = new ArrayList<>(shards);
        List<Callable<NDList>> tasks = new ArrayList<>(shards);
        List<NDList> slices = BatchShards.slices(inputs, shards, managers);
        NDManager maskManager = inputs.head().getManager().newSubManager();
        managers.add(maskManager);
        Masks masks = new Masks(BatchShards.bounds(rows, shards), maskManager);
        for (int s = 0; s < shards; s++) {
            NDList slice = slices.get(s);
            ShardDraws draws = new ShardDraws(masks, s);
            tasks.add(() -> {
                JniUtils.setGradMode(true); // thread-local in PyTorch: the caller's collector does not reach here
                DRAWS.set(draws);
                try {
                    return block.forward(parameters, slice, true);
                } finally {
                    DRAWS.remove();
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
                List<NDArray> outputs = new ArrayList<>();
                List<NDArray> gradients = new ArrayList<>();
                for (Call c : calls) {
                    for (int o = 0; o < c.outputs().get(shard).size(); o++) {
                        outputs.add(c.outputs().get(shard).get(o));
                        gradients.add(c.leaves().get(shard).get(o).getGradient());
                    }
                }
                if (outputs.size() == 1) {
                    JniUtils.backward((PtNDArray) outputs.get(0), (PtNDArray) gradients.get(0), false, false);
                    return null;
                }
                // several outputs (or forwards): one backward of Σ sum(output · its gradient), whose gradient
                // with respect to each output is that gradient exactly, so that each parameter still gets
                // one addition per shard and two shards sum to the same float in either order
                JniUtils.setGradMode(true);
                try {
                    NDArray total = null;
                    for (int r = 0; r < outputs.size(); r++) {
                        NDArray term = outputs.get(r).mul(gradients.get(r)).sum();
                        total = total == null ? term : total.add(term);
                    }
                    try (NDArray one = total.onesLike()) {
                        JniUtils.backward((PtNDArray) total, (PtNDArray) one, false, false);
                    }
                } finally {
                    JniUtils.setGradMode(false);
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

    /**
     * Training dropout of {@code h} with rate {@code p} (Srivastava et al. 2014): each element kept
     * with probability 1 − p and scaled by 1/(1 − p). Outside a sharded forward, PyTorch's dropout;
     * inside one, {@code h} times its shard's rows of the whole batch's mask (see above), which is
     * that same dropout applied to ones.
     */
    public static NDArray dropout(NDArray h, float p) {
        ShardDraws draws = DRAWS.get();
        if (draws == null) {
            return Dropout.dropout(h, p, true).head();
        }
        return h.mul(draws.masks().next(draws.shard(), h, p));
    }

    /**
     * A block that draws engine randomness in a training forward by itself (not through
     * {@link #dropout}): a network holding one trains unsharded. Part of the plugin contract since
     * 0.2.1; the kit's own blocks no longer need it.
     */
    public interface Stochastic {
        /** Whether a training forward draws random numbers from the engine. */
        boolean drawsInTraining();
    }

    /** The masks of the forward a shard worker runs, and which shard it is. */
    private record ShardDraws(Masks masks, int shard) {
    }

    /** One sharded forward's dropout masks over the whole batch, the i-th for the i-th dropout layer. */
    private static final class Masks {
        private final long[] bounds;
        private final NDManager manager;
        private final List<NDArray> drawn = new ArrayList<>();
        private final List<Float> rates = new ArrayList<>();
        /** Each shard's next dropout layer. */
        private final int[] next;

        Masks(long[] bounds, NDManager manager) {
            this.bounds = bounds;
            this.manager = manager;
            this.next = new int[bounds.length - 1];
        }

        /** Rows of the whole-batch mask of {@code shard}'s next dropout layer; the first shard to ask draws it. */
        synchronized NDArray next(int shard, NDArray h, float p) {
            int i = next[shard]++;
            long[] dims = h.getShape().getShape();
            if (dims.length == 0 || dims[0] != bounds[shard + 1] - bounds[shard]) {
                throw new IllegalStateException("dropout in a sharded forward needs the shard's rows first, got " + h.getShape());
            }
            if (i == drawn.size()) {
                dims[0] = bounds[bounds.length - 1];
                try (NDArray ones = manager.ones(new Shape(dims), h.getDataType(), h.getDevice())) {
                    // ones · noise = noise: exactly the mask PyTorch's dropout of the whole batch draws
                    drawn.add(Dropout.dropout(ones, p, true).head());
                }
                rates.add(p);
            }
            NDArray whole = drawn.get(i);
            if (rates.get(i) != p || !whole.getShape().slice(1).equals(h.getShape().slice(1))) {
                throw new IllegalStateException("the shards' dropout layer " + i + " differs: " + whole.getShape()
                        + " at rate " + rates.get(i) + " against " + h.getShape() + " at " + p);
            }
            return whole.get("{}:{}", bounds[shard], bounds[shard + 1]);
        }
    }
}
