package io.difflab.plugins.cfdg;

import io.difflab.api.ImageDataset;

/**
 * A minimal classifier fitted in the test: each image goes to the class whose mean training image
 * is nearest in Euclidean distance. Enough to tell trousers from sneakers.
 */
final class NearestClassMean {

    private final int[] classes;
    private final float[][] means;

    /** Fits the means of {@code classes} on {@code data}. */
    NearestClassMean(ImageDataset data, int... classes) {
        this.classes = classes.clone();
        int per = data.shape().size();
        means = new float[classes.length][per];
        int[] counts = new int[classes.length];
        float[] image = new float[per];
        for (int i = 0; i < data.size(); i++) {
            int k = indexOf(data.label(i));
            if (k < 0) {
                continue;
            }
            data.copyImage(i, image, 0);
            for (int j = 0; j < per; j++) {
                means[k][j] += image[j];
            }
            counts[k]++;
        }
        for (int k = 0; k < classes.length; k++) {
            for (int j = 0; j < per; j++) {
                means[k][j] /= counts[k];
            }
        }
    }

    /** The class of the image at {@code offset} in {@code images}. */
    int classify(float[] images, int offset) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int k = 0; k < classes.length; k++) {
            double d = 0;
            for (int j = 0; j < means[k].length; j++) {
                double diff = images[offset + j] - means[k][j];
                d += diff * diff;
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = classes[k];
            }
        }
        return best;
    }

    /** The fraction of {@code data} classified as labeled. */
    double accuracy(ImageDataset data) {
        float[] image = new float[data.shape().size()];
        int correct = 0;
        for (int i = 0; i < data.size(); i++) {
            data.copyImage(i, image, 0);
            correct += classify(image, 0) == data.label(i) ? 1 : 0;
        }
        return correct / (double) data.size();
    }

    private int indexOf(int label) {
        for (int k = 0; k < classes.length; k++) {
            if (classes[k] == label) {
                return k;
            }
        }
        return -1;
    }
}
