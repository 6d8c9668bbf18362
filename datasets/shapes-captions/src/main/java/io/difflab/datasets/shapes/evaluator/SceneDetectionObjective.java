package io.difflab.datasets.shapes.evaluator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.difflab.api.TrainingBatch;
import io.difflab.api.TrainingObjective;
import io.difflab.datasets.shapes.Colour;
import io.difflab.datasets.shapes.ObjectSize;
import io.difflab.datasets.shapes.Scene;
import io.difflab.datasets.shapes.ShapeKind;

import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The scene evaluator's loss, YOLO's terms (Redmon et al. 2016, eq. 3) with cross-entropies for the
 * classes: binary cross-entropy of every cell's objectness (mean over cells), plus, averaged over the
 * batch's objects in their cells, the cross-entropies of shape, colour and size and
 * {@value #OFFSET_WEIGHT}× the squared error of the centre offsets. The batch's labels are the
 * items' indices (see {@link IndexedScenes}); {@code sceneOf} gives each index's ground truth.
 */
final class SceneDetectionObjective implements TrainingObjective {

    /** Weight of the offset term: offsets decide left/right and above/below within a cell. */
    static final float OFFSET_WEIGHT = 5f;

    private final IntFunction<Scene> sceneOf;

    SceneDetectionObjective(IntFunction<Scene> sceneOf) {
        this.sceneOf = sceneOf;
    }

    @Override
    public NDArray loss(TrainingBatch batch, Function<NDList, NDList> network, Map<String, NDArray> extra) {
        int[] indices = batch.labels().toIntArray();
        Scene[] scenes = new Scene[indices.length];
        for (int i = 0; i < indices.length; i++) {
            scenes[i] = sceneOf.apply(indices[i]);
        }
        SceneTargets t = SceneTargets.of(scenes);
        NDManager m = batch.manager();
        int n = indices.length;
        int c = SceneGrid.CELLS;
        NDArray out = network.apply(new NDList(batch.images())).singletonOrThrow();
        NDArray weight = m.create(t.objectWeight(), new Shape(n, 1, c, c));
        NDArray objectness = binaryCrossEntropy(out.get(new NDIndex(":, {}:{}", SceneGrid.OBJECTNESS, SceneGrid.SHAPE)),
                m.create(t.objectness(), new Shape(n, 1, c, c))).mean();
        NDArray shape = crossEntropy(out, SceneGrid.SHAPE, ShapeKind.values().length, t.shape(), weight);
        NDArray colour = crossEntropy(out, SceneGrid.COLOUR, Colour.values().length, t.colour(), weight);
        NDArray size = crossEntropy(out, SceneGrid.SIZE, ObjectSize.values().length, t.size(), weight);
        NDArray offsets = Activation.sigmoid(out.get(new NDIndex(":, {}:{}", SceneGrid.OFFSET, SceneGrid.CHANNELS)));
        NDArray offsetWeight = m.create(scaled(t.objectWeight(), OFFSET_WEIGHT), new Shape(n, 1, c, c));
        NDArray offset = offsets.sub(m.create(t.offset(), new Shape(n, 2, c, c))).square().mul(offsetWeight).sum();
        extra.put("train.objectness", objectness);
        extra.put("train.shape", shape);
        extra.put("train.colour", colour);
        extra.put("train.size", size);
        extra.put("train.offset", offset);
        return objectness.add(shape).add(colour).add(size).add(offset);
    }

    /** max(z, 0) − z·t + log(1 + e^(−|z|)), the numerically stable binary cross-entropy of logits z. */
    private static NDArray binaryCrossEntropy(NDArray z, NDArray t) {
        return Activation.relu(z).sub(z.mul(t)).add(z.abs().neg().exp().add(1).log());
    }

    /** −Σ weight · log softmax(logits)[target] over the object cells. */
    private static NDArray crossEntropy(NDArray out, int first, int count, float[] oneHot, NDArray weight) {
        NDArray logits = out.get(new NDIndex(":, {}:{}", first, first + count));
        NDArray target = weight.getManager().create(oneHot, logits.getShape());
        return logits.logSoftmax(1).mul(target).sum(new int[] {1}, true).mul(weight).sum().neg();
    }

    private static float[] scaled(float[] values, float factor) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * factor;
        }
        return out;
    }
}
