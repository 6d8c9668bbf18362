package io.difflab.plugins.cfdg;

import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;

import java.util.List;

/** A dataset at half its resolution, each output pixel the mean of a 2×2 block (28×28 becomes 14×14). */
final class HalfResolution implements ImageDataset {

    private final ImageDataset full;
    private final ImageShape shape;

    HalfResolution(ImageDataset full) {
        this.full = full;
        ImageShape s = full.shape();
        this.shape = new ImageShape(s.channels(), s.height() / 2, s.width() / 2);
    }

    @Override
    public String id() {
        return full.id() + "/half";
    }

    @Override
    public int size() {
        return full.size();
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public void copyImage(int index, float[] into, int offset) {
        ImageShape s = full.shape();
        float[] image = new float[s.size()];
        full.copyImage(index, image, 0);
        int out = offset;
        for (int c = 0; c < s.channels(); c++) {
            int plane = c * s.height() * s.width();
            for (int y = 0; y < shape.height(); y++) {
                for (int x = 0; x < shape.width(); x++) {
                    int i = plane + 2 * y * s.width() + 2 * x;
                    into[out++] = (image[i] + image[i + 1] + image[i + s.width()] + image[i + s.width() + 1]) / 4f;
                }
            }
        }
    }

    @Override
    public int label(int index) {
        return full.label(index);
    }

    @Override
    public int numClasses() {
        return full.numClasses();
    }

    @Override
    public List<String> classNames() {
        return full.classNames();
    }

    @Override
    public String checksum() {
        return full.checksum();
    }
}
