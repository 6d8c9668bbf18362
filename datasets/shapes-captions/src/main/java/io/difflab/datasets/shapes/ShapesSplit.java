package io.difflab.datasets.shapes;

import java.util.Objects;

/**
 * The generated content of one split: the images as 8-bit RGB, channel-major, image after image,
 * with each image's scene and caption (index i of each belongs together).
 *
 * @param side     the image side in pixels
 * @param pixels   count·3·side·side bytes
 * @param scenes   each image's ground truth
 * @param captions each image's caption, true of its scene
 */
public record ShapesSplit(int side, byte[] pixels, Scene[] scenes, String[] captions) {

    public ShapesSplit {
        Objects.requireNonNull(pixels, "pixels");
        if (scenes.length != captions.length || pixels.length != (long) scenes.length * bytesPerImage(side)) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes, " + scenes.length + " scenes and "
                    + captions.length + " captions do not make one split of " + side + "x" + side + " images");
        }
    }

    /** The number of images. */
    public int size() {
        return scenes.length;
    }

    /** Bytes of one RGB image of this side. */
    public static int bytesPerImage(int side) {
        return 3 * side * side;
    }
}
