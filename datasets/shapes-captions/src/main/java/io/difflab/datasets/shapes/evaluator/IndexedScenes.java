package io.difflab.datasets.shapes.evaluator;

import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;

import java.util.List;

/**
 * A dataset's images whose "label" is the item's own index: the platform's trainer hands a batch
 * its images and labels only, and the evaluator's targets (whole scenes) are looked up by index.
 */
final class IndexedScenes implements ImageDataset {

    private final ImageDataset images;

    IndexedScenes(ImageDataset images) {
        this.images = images;
    }

    @Override
    public String id() {
        return images.id();
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public ImageShape shape() {
        return images.shape();
    }

    @Override
    public void copyImage(int index, float[] into, int offset) {
        images.copyImage(index, into, offset);
    }

    /** The index itself. */
    @Override
    public int label(int index) {
        return index;
    }

    @Override
    public int numClasses() {
        return images.size();
    }

    @Override
    public List<String> classNames() {
        return List.of();
    }

    @Override
    public String checksum() {
        return images.checksum();
    }
}
