package io.difflab.datasets.shapes.evaluator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.difflab.api.ImageDataset;
import io.difflab.datasets.shapes.Scene;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A trained scene evaluator: reads images and says which objects they show (shape, colour, size,
 * centre). Each batch's arrays live in a sub-manager.
 */
public final class SceneEvaluator implements AutoCloseable {

    private static final int BATCH = 500;

    private final NDManager manager;
    private final Block block;
    private final SceneEvaluatorManifest manifest;

    SceneEvaluator(NDManager manager, Block block, SceneEvaluatorManifest manifest) {
        this.manager = manager;
        this.block = block;
        this.manifest = manifest;
    }

    /** What it is, how it was trained and how accurate it is. */
    public SceneEvaluatorManifest manifest() {
        return manifest;
    }

    /** The scenes of images (N, 3, H, W) in [−1, 1], on any device. */
    public List<Scene> read(NDArray images) {
        int n = Math.toIntExact(images.getShape().get(0));
        List<Scene> scenes = new ArrayList<>(n);
        for (int from = 0; from < n; from += BATCH) {
            try (NDManager sub = manager.newSubManager()) {
                NDArray batch = images.get(new NDIndex("{}:{}", from, Math.min(n, from + BATCH)));
                batch.attach(sub);
                scenes.addAll(readBatch(sub, batch.toDevice(sub.getDevice(), false)));
            }
        }
        return scenes;
    }

    /** The scenes of {@code dataset}'s images at {@code indices}. */
    public List<Scene> read(ImageDataset dataset, int[] indices) {
        List<Scene> scenes = new ArrayList<>(indices.length);
        for (int from = 0; from < indices.length; from += BATCH) {
            try (NDManager sub = manager.newSubManager()) {
                int[] part = Arrays.copyOfRange(indices, from, Math.min(indices.length, from + BATCH));
                scenes.addAll(readBatch(sub, dataset.images(sub, part)));
            }
        }
        return scenes;
    }

    private List<Scene> readBatch(NDManager sub, NDArray images) {
        NDArray out = block.forward(new ParameterStore(sub, false), new NDList(images), false).singletonOrThrow();
        return SceneGrid.decode(out.toFloatArray(), Math.toIntExact(images.getShape().get(0)));
    }

    @Override
    public void close() {
        manager.close();
    }
}
