package io.difflab.datasets.shapes;

import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;

import java.util.List;
import java.util.Objects;

/**
 * A split of shapes-captions: RGB images scaled to [−1, 1] as they are copied out (x / 127.5 − 1),
 * each with its caption, the scene it shows and the request its caption makes. Its class label is
 * the number of objects minus one ("one object" .. "four objects"), so label-conditioned models
 * and the class-based metrics work on it too. Immutable, so safe for concurrent reads.
 */
public final class ShapesCaptionsDataset implements ImageDataset {

    /** Class names, index = label = number of objects − 1. */
    public static final List<String> CLASS_NAMES = List.of("one object", "two objects", "three objects",
            "four objects");

    private final String id;
    private final ShapesSplit split;
    private final ImageShape shape;
    private final String checksum;

    /**
     * @param id       e.g. {@code shapes-captions/train}
     * @param split    the generated content
     * @param checksum the SHA-256 (hex) of the split's file
     */
    public ShapesCaptionsDataset(String id, ShapesSplit split, String checksum) {
        this.id = Objects.requireNonNull(id, "id");
        this.split = Objects.requireNonNull(split, "split");
        this.shape = new ImageShape(3, split.side(), split.side());
        this.checksum = checksum;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int size() {
        return split.size();
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public void copyImage(int index, float[] into, int offset) {
        Objects.checkIndex(index, size());
        int per = shape.size();
        Objects.checkFromIndexSize(offset, per, into.length);
        byte[] pixels = split.pixels();
        int from = index * per;
        for (int i = 0; i < per; i++) {
            into[offset + i] = (pixels[from + i] & 0xff) / 127.5f - 1f;
        }
    }

    /** The number of objects in image {@code index}, minus one. */
    @Override
    public int label(int index) {
        return scene(index).size() - 1;
    }

    @Override
    public int numClasses() {
        return CLASS_NAMES.size();
    }

    @Override
    public List<String> classNames() {
        return CLASS_NAMES;
    }

    @Override
    public String caption(int index) {
        return split.captions()[Objects.checkIndex(index, size())];
    }

    /** The ground truth of image {@code index}: every object's shape, colour, size and position. */
    public Scene scene(int index) {
        return split.scenes()[Objects.checkIndex(index, size())];
    }

    /** What the caption of image {@code index} asks for (its scene satisfies it). */
    public SceneRequest request(int index) {
        return CaptionParser.parse(caption(index));
    }

    /** Image {@code index} as 8-bit RGB planes (3·side·side bytes, a copy). */
    public byte[] rgb(int index) {
        int per = shape.size();
        byte[] out = new byte[per];
        System.arraycopy(split.pixels(), Objects.checkIndex(index, size()) * per, out, 0, per);
        return out;
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
