package io.difflab.datasets.imagefolder;

import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A split of a user's image folder: resized images held as unsigned bytes and scaled to [−1, 1]
 * as they are copied out (x / 127.5 − 1), with labels and captions where the CSV gives them;
 * immutable, so safe for concurrent reads.
 */
final class ImageFolderDataset implements ImageDataset {

    private final String id;
    private final ImageShape shape;
    private final List<String> files;
    private final byte[] pixels;
    private final int[] labels;
    private final List<String> classNames;
    private final List<String> captions;
    private final String checksum;

    /**
     * @param files      relative file names, index = image
     * @param pixels     files.size()·C·H·W unsigned bytes, image-major then channel-major
     * @param labels     class ids, or {@code null} when unlabeled
     * @param classNames names, index = class id (empty when unlabeled)
     * @param captions   one per image (elements may be null), or {@code null} when uncaptioned
     */
    ImageFolderDataset(String id, ImageShape shape, List<String> files, byte[] pixels, int[] labels,
                       List<String> classNames, List<String> captions, String checksum) {
        if (pixels.length != files.size() * shape.size()) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes for " + files.size() + " images");
        }
        this.id = id;
        this.shape = shape;
        this.files = List.copyOf(files);
        this.pixels = pixels;
        this.labels = labels == null ? null : labels.clone();
        this.classNames = List.copyOf(classNames);
        this.captions = captions == null ? null : Collections.unmodifiableList(new ArrayList<>(captions));
        this.checksum = checksum;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public void copyImage(int index, float[] into, int offset) {
        Objects.checkIndex(index, files.size());
        int per = shape.size();
        Objects.checkFromIndexSize(offset, per, into.length);
        int from = index * per;
        for (int i = 0; i < per; i++) {
            into[offset + i] = (pixels[from + i] & 0xff) / 127.5f - 1f;
        }
    }

    @Override
    public int label(int index) {
        Objects.checkIndex(index, files.size());
        return labels == null ? -1 : labels[index];
    }

    @Override
    public int numClasses() {
        return classNames.size();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public String caption(int index) {
        Objects.checkIndex(index, files.size());
        return captions == null ? null : captions.get(index);
    }

    @Override
    public String checksum() {
        return checksum;
    }

    /** The file image {@code index} was read from, relative to the folder. */
    String file(int index) {
        return files.get(index);
    }

    @Override
    public String toString() {
        return id + " (" + size() + " images)";
    }
}
