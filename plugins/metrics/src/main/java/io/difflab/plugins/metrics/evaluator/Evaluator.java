package io.difflab.plugins.metrics.evaluator;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import io.difflab.api.ImageDataset;

import java.util.function.IntFunction;

/**
 * A trained evaluator ready for inference: embeds images into its feature space and its class
 * probabilities. Safe for concurrent use; arrays of each batch live in a sub-manager.
 */
public final class Evaluator implements AutoCloseable {

    private static final int BATCH = 500;

    private final Model model;
    private final EvaluatorNetwork network;
    private final EvaluatorManifest manifest;

    Evaluator(Model model, EvaluatorNetwork network, EvaluatorManifest manifest) {
        this.model = model;
        this.network = network;
        this.manifest = manifest;
    }

    /** What it is, how it was trained, how good it is. */
    public EvaluatorManifest manifest() {
        return manifest;
    }

    /** Embeds a batch of images (N,C,H,W) in [−1, 1], on any device. */
    public Embedding embed(NDArray images) {
        int n = Math.toIntExact(images.getShape().get(0));
        return embed(n, from -> images.get(new NDIndex("{}:{}", from, Math.min(n, from + BATCH))));
    }

    /** Embeds the images of {@code dataset} at {@code indices}. */
    public Embedding embed(ImageDataset dataset, int[] indices) {
        return embed(indices.length, from -> {
            int to = Math.min(indices.length, from + BATCH);
            int[] part = java.util.Arrays.copyOfRange(indices, from, to);
            return dataset.images(model.getNDManager(), part);
        });
    }

    private Embedding embed(int n, IntFunction<NDArray> batchFrom) {
        double[][] features = new double[n][];
        double[][] probabilities = new double[n][];
        for (int from = 0; from < n; from += BATCH) {
            try (NDManager sub = model.getNDManager().newSubManager()) {
                NDArray x = batchFrom.apply(from);
                x.attach(sub);
                NDArray input = x.toDevice(sub.getDevice(), false);
                ParameterStore store = new ParameterStore(sub, false);
                NDArray f = network.features().forward(store, new NDList(input), false).singletonOrThrow();
                NDArray logits = network.head().forward(store, new NDList(f), false).singletonOrThrow();
                float[] fv = f.toFloatArray();
                float[] pv = logits.softmax(1).toFloatArray();
                int rows = Math.toIntExact(f.getShape().get(0));
                int dim = fv.length / rows;
                int classes = pv.length / rows;
                for (int i = 0; i < rows; i++) {
                    features[from + i] = toDouble(fv, i * dim, dim);
                    probabilities[from + i] = toDouble(pv, i * classes, classes);
                }
            }
        }
        return new Embedding(features, probabilities);
    }

    private static double[] toDouble(float[] source, int offset, int length) {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = source[offset + i];
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
