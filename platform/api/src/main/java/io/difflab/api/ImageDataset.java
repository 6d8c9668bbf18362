package io.difflab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.util.List;

/**
 * A loaded split of images, N×C×H×W with values in [−1, 1], with optional labels and captions.
 * Implementations hold the data in memory and are safe for concurrent reads.
 */
public interface ImageDataset {

    /** The dataset name and split, e.g. {@code fashion-mnist/train}. */
    String id();

    int size();

    ImageShape shape();

    /** Copies image {@code index} (C·H·W values in [−1, 1], channel-major) into {@code into} at {@code offset}. */
    void copyImage(int index, float[] into, int offset);

    /** The class label of image {@code index}, or −1 when the dataset has none. */
    int label(int index);

    /** The number of classes; 0 when unlabeled. */
    int numClasses();

    /** Class names, index = label; empty when unlabeled. */
    List<String> classNames();

    /** The caption of image {@code index}, or {@code null}. */
    default String caption(int index) {
        return null;
    }

    /** A checksum of the underlying files (SHA-256, hex), recorded with every run. */
    String checksum();

    /** The images at {@code indices} as one (n,C,H,W) float32 array created by {@code manager}. */
    default NDArray images(NDManager manager, int[] indices) {
        int per = shape().size();
        float[] buf = new float[indices.length * per];
        for (int i = 0; i < indices.length; i++) {
            copyImage(indices[i], buf, i * per);
        }
        return manager.create(buf, shape().batch(indices.length));
    }

    /** The labels at {@code indices} as an (n) int32 array; only for labeled datasets. */
    default NDArray labels(NDManager manager, int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = label(indices[i]);
        }
        return manager.create(out).toType(DataType.INT32, false);
    }
}
