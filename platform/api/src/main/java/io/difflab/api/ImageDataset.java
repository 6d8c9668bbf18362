package io.difflab.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded split of images, N×C×H×W with values in [−1, 1], with the condition fields its items
 * carry (class labels, captions, or the dataset's own).
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

    /**
     * The condition fields every item carries, with their value types: {@code label} when labeled,
     * {@code caption} when captioned (by {@link #caption(int)} of the first item); datasets with fields
     * of their own override this and {@link #field(String, int)}.
     */
    default Map<String, Class<?>> fields() {
        Map<String, Class<?>> out = new LinkedHashMap<>();
        if (numClasses() > 0) {
            out.put(ConditionFields.LABEL, Integer.class);
        }
        if (size() > 0 && caption(0) != null) {
            out.put(ConditionFields.CAPTION, String.class);
        }
        return out;
    }

    /** The raw value of {@code field} for image {@code index}, of the type {@link #fields()} names. */
    default Object field(String field, int index) {
        return switch (field) {
            case ConditionFields.LABEL -> label(index);
            case ConditionFields.CAPTION -> caption(index);
            default -> throw new IllegalArgumentException(id() + " has no condition field '" + field + "' (it has "
                    + fields().keySet() + ")");
        };
    }

    /** The values of {@code field} at {@code indices}. */
    default List<Object> fieldValues(String field, int[] indices) {
        List<Object> out = new ArrayList<>(indices.length);
        for (int index : indices) {
            out.add(field(field, index));
        }
        return out;
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
