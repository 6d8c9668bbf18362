package io.difflab.datasets.fashionmnist;

import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;

import java.util.List;
import java.util.Objects;

/**
 * Fashion-MNIST images held as their original unsigned bytes and scaled to [−1, 1] as they are
 * copied out (x / 127.5 − 1, as Ho et al. 2020 scale image data); immutable, so safe for
 * concurrent reads.
 */
final class FashionMnistDataset implements ImageDataset {

    static final ImageShape SHAPE = new ImageShape(1, FashionMnistRelease.ROWS, FashionMnistRelease.COLUMNS);

    private final String id;
    private final byte[] pixels;
    private final byte[] labels;
    private final String checksum;

    /**
     * @param id       e.g. {@code fashion-mnist/train}
     * @param pixels   n·28·28 unsigned bytes, image-major
     * @param labels   n labels in 0..9
     * @param checksum the SHA-256 (hex) of the split's decompressed IDX files
     */
    FashionMnistDataset(String id, byte[] pixels, byte[] labels, String checksum) {
        if (pixels.length != labels.length * SHAPE.size()) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes for " + labels.length + " labels");
        }
        this.id = id;
        this.pixels = pixels;
        this.labels = labels;
        this.checksum = checksum;
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
        Objects.checkIndex(index, labels.length);
        int per = SHAPE.size();
        Objects.checkFromIndexSize(offset, per, into.length);
        int from = index * per;
        for (int i = 0; i < per; i++) {
            into[offset + i] = (pixels[from + i] & 0xff) / 127.5f - 1f;
        }
    }

    @Override
    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)];
    }

    @Override
    public int numClasses() {
        return FashionMnistRelease.CLASS_NAMES.size();
    }

    @Override
    public List<String> classNames() {
        return FashionMnistRelease.CLASS_NAMES;
    }

    /** A caption from the class name: {@link FashionMnistCaptions}. */
    @Override
    public String caption(int index) {
        return FashionMnistCaptions.of(index, label(index));
    }

    @Override
    public String checksum() {
        return checksum;
    }

    @Override
    public String toString() {
        return id + " (" + size() + " images)";
    }
}
