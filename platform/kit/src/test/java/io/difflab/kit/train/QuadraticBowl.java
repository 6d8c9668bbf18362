package io.difflab.kit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.difflab.api.TrainingObjective;

/**
 * A problem small enough to follow by hand: two weight vectors u (2) and v (3) and the loss
 * L(θ) = Σ_j a_j (θ_j − c_j)², whose gradient is 2 a_j (θ_j − c_j). The block's output is the
 * weights as the parameter store hands them out, so a forward pass shows which weights it used.
 */
final class QuadraticBowl extends AbstractBlock {

    /** Initial weights, u then v. */
    static final double[] START = {0.5, -1.0, 2.0, 0.0, -0.25};
    /** Curvatures a_j: unequal, so the coordinates move differently. */
    static final double[] CURVATURE = {1.0, 4.0, 0.5, 2.0, 8.0};
    /** The minimum c_j. */
    static final double[] CENTRE = {1.5, 0.5, -1.0, 1.0, 0.75};

    private final Parameter u;
    private final Parameter v;

    private QuadraticBowl() {
        u = addParameter(Parameter.builder().setName("u").setType(Parameter.Type.WEIGHT).optShape(new Shape(2))
                .optInitializer((m, shape, type) -> m.create(new float[] {(float) START[0], (float) START[1]}))
                .build());
        v = addParameter(Parameter.builder().setName("v").setType(Parameter.Type.WEIGHT).optShape(new Shape(3))
                .optInitializer((m, shape, type) -> m.create(new float[] {(float) START[2], (float) START[3],
                        (float) START[4]}))
                .build());
    }

    /** An initialized bowl whose weights live in {@code manager}. */
    static QuadraticBowl create(NDManager manager) {
        QuadraticBowl b = new QuadraticBowl();
        b.initialize(manager, DataType.FLOAT32, new Shape(1));
        return b;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(store.getValue(u, inputs.head().getDevice(), training),
                store.getValue(v, inputs.head().getDevice(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(2), new Shape(3)};
    }

    /** The loss of the block's output [u, v]. */
    static NDArray loss(NDList weights) {
        NDManager m = weights.head().getManager();
        NDArray theta = weights.get(0).concat(weights.get(1));
        NDArray a = m.create(toFloats(CURVATURE));
        NDArray c = m.create(toFloats(CENTRE));
        return theta.sub(c).square().mul(a).sum();
    }

    /** The bowl as a training objective; the images of the batch are ignored. */
    static TrainingObjective objective() {
        return (batch, network, extra) -> loss(network.apply(new NDList(batch.images())));
    }

    /** A training of {@code session} on the bowl (the dataset's images are loaded in the run's order, then ignored). */
    static TrainingJob job(TrainingSession session, io.difflab.api.ImageDataset data, long seed, NDManager manager,
                           CheckpointStore checkpoints, boolean resume) {
        return new TrainingJob(session, objective(), data, java.util.List.of(), io.difflab.api.TrainedNetworks.NONE, seed,
                manager, checkpoints, resume, TinyTraining::noise);
    }

    /** The exact gradient at {@code theta}: 2 a (θ − c). */
    static double[] gradient(double[] theta) {
        double[] g = new double[theta.length];
        for (int j = 0; j < g.length; j++) {
            g[j] = 2 * CURVATURE[j] * (theta[j] - CENTRE[j]);
        }
        return g;
    }

    /** u and v of a forward pass, concatenated. */
    static double[] weights(NDList out) {
        float[] u = out.get(0).toFloatArray();
        float[] v = out.get(1).toFloatArray();
        return new double[] {u[0], u[1], v[0], v[1], v[2]};
    }

    static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
