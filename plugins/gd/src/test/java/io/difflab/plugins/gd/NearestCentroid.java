package io.difflab.plugins.gd;

import io.difflab.api.ImageDataset;

import java.util.List;

/**
 * An independent judge of a sample's class for tests: the class whose mean training image is
 * nearest in pixel space. Good enough for well-separated classes (trousers and sneakers).
 */
final class NearestCentroid {

    private final List<Integer> classes;
    private final double[][] centroids;

    NearestCentroid(ImageDataset data, List<Integer> classes) {
        this.classes = List.copyOf(classes);
        int per = data.shape().size();
        centroids = new double[classes.size()][per];
        int[] counts = new int[classes.size()];
        float[] image = new float[per];
        for (int i = 0; i < data.size(); i++) {
            int k = classes.indexOf(data.label(i));
            if (k < 0) {
                continue;
            }
            data.copyImage(i, image, 0);
            for (int j = 0; j < per; j++) {
                centroids[k][j] += image[j];
            }
            counts[k]++;
        }
        for (int k = 0; k < centroids.length; k++) {
            for (int j = 0; j < per; j++) {
                centroids[k][j] /= counts[k];
            }
        }
    }

    /** The class of the image at {@code offset} in {@code pixels}. */
    int classify(float[] pixels, int offset) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int k = 0; k < centroids.length; k++) {
            double d = 0;
            for (int j = 0; j < centroids[k].length; j++) {
                double diff = pixels[offset + j] - centroids[k][j];
                d += diff * diff;
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return classes.get(best);
    }

    /** The share of a dataset's images (of the judged classes) it classifies right. */
    double accuracy(ImageDataset data) {
        int per = data.shape().size();
        float[] image = new float[per];
        int right = 0;
        int total = 0;
        for (int i = 0; i < data.size(); i++) {
            if (classes.contains(data.label(i))) {
                data.copyImage(i, image, 0);
                right += classify(image, 0) == data.label(i) ? 1 : 0;
                total++;
            }
        }
        return (double) right / total;
    }
}
