package io.difflab.plugins.metrics;

import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;

import java.util.List;
import java.util.Random;

/**
 * Test-only labeled images that a classifier separates easily: class c is a bright horizontal
 * band at row block c on a noisy background, 1×8×8 in [−1, 1].
 */
public final class SyntheticImages implements ImageDataset {

    private static final ImageShape SHAPE = new ImageShape(1, 8, 8);

    private final String id;
    private final float[] pixels;
    private final int[] labels;
    private final int classes;

    private SyntheticImages(String id, float[] pixels, int[] labels, int classes) {
        this.id = id;
        this.pixels = pixels;
        this.labels = labels;
        this.classes = classes;
    }

    /** {@code n} images of {@code classes} (at most 4) classes, seeded. */
    public static SyntheticImages create(String id, int n, int classes, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[n * SHAPE.size()];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int p = 0; p < SHAPE.size(); p++) {
                int row = p / 8;
                float band = row / 2 == labels[i] ? 0.8f : -0.6f;
                pixels[i * SHAPE.size() + p] = (float) Math.max(-1, Math.min(1, band + 0.2 * random.nextGaussian()));
            }
        }
        return new SyntheticImages(id, pixels, labels, classes);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public ImageShape shape() {
        return SHAPE;
    }

    @Override
    public void copyImage(int index, float[] into, int offset) {
        System.arraycopy(pixels, index * SHAPE.size(), into, offset, SHAPE.size());
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public List<String> classNames() {
        return List.of("a", "b", "c", "d").subList(0, classes);
    }

    @Override
    public String checksum() {
        return "0123456789abcdef0123456789abcdef" + labels.length;
    }
}
