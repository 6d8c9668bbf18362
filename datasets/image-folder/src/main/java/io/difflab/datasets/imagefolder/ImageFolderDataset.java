package io.difflab.datasets.imagefolder;

import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A split of a user's image folder: resized images held as unsigned bytes and scaled to [−1, 1]
 * as they are copied out (x / 127.5 − 1), with labels and captions where its source gives them;
 * immutable, so safe for concurrent reads. An item is an image with its label and caption; an
 * image with several captions (one per line of its .txt file) is several items sharing its pixels.
 */
final class ImageFolderDataset implements ImageDataset {

    private final String id;
    private final ImageShape shape;
    private final List<String> files;
    private final byte[] pixels;
    private final int[] imageOf;
    private final int[] labels;
    private final List<String> classNames;
    private final List<String> captions;
    private final String checksum;

    /**
     * @param files      relative file names, index = image
     * @param pixels     files.size()·C·H·W unsigned bytes, image-major then channel-major
     * @param imageOf    the image of each item, index = item
     * @param labels     class ids per item, or {@code null} when unlabeled
     * @param classNames names, index = class id (empty when unlabeled)
     * @param captions   one per item (elements may be null), or {@code null} when uncaptioned
     */
    ImageFolderDataset(String id, ImageShape shape, List<String> files, byte[] pixels, int[] imageOf, int[] labels,
                       List<String> classNames, List<String> captions, String checksum) {
        if (pixels.length != files.size() * shape.size()) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes for " + files.size() + " images");
        }
        for (int image : imageOf) {
            Objects.checkIndex(image, files.size());
        }
        this.id = id;
        this.shape = shape;
        this.files = List.copyOf(files);
        this.pixels = pixels;
        this.imageOf = imageOf.clone();
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
        return imageOf.length;
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public void copyImage(int index, float[] into, int offset) {
        Objects.checkIndex(index, imageOf.length);
        int per = shape.size();
        Objects.checkFromIndexSize(offset, per, into.length);
        int from = imageOf[index] * per;
        for (int i = 0; i < per; i++) {
            into[offset + i] = (pixels[from + i] & 0xff) / 127.5f - 1f;
        }
    }

    @Override
    public int label(int index) {
        Objects.checkIndex(index, imageOf.length);
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
        Objects.checkIndex(index, imageOf.length);
        return captions == null ? null : captions.get(index);
    }

    @Override
    public String checksum() {
        return checksum;
    }

    /** The file item {@code index}'s image was read from, relative to the folder. */
    String file(int index) {
        return files.get(imageOf[index]);
    }

    @Override
    public String toString() {
        return id + " (" + (size() == files.size() ? size() + " images)" : size() + " items of " + files.size()
                + " images)");
    }
}
