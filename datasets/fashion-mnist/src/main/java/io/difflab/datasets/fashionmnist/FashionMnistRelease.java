package io.difflab.datasets.fashionmnist;

import io.difflab.api.Split;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The published Fashion-MNIST release (Xiao, Rasul and Vollgraf 2017): file names, class names,
 * download locations and checksums.
 *
 * <p>Two kinds of checksum, because the gzip bytes of a file depend on who compressed it:
 * <ul>
 *   <li>{@link #GZIP_MD5}: the MD5s of the original {@code .gz} files, as published in the
 *       Fashion-MNIST README; every download is checked against them before it is kept.</li>
 *   <li>{@link #IDX_SHA256}: the SHA-256 of each decompressed IDX file. These hold for any copy
 *       whose content is the release's, however it was compressed: Debian's
 *       {@code dataset-fashion-mnist} re-gzipped the originals (its {@code .gz} MD5s differ from
 *       the README's), but its decompressed files are byte-identical to the originals (their MD5s,
 *       e.g. {@code f4a8712d7a061bf5bd6d2ca38dc4d50a} for the training images, are those other
 *       projects list for the decompressed originals). Every file found on disk is checked
 *       against these.</li>
 * </ul>
 */
final class FashionMnistRelease {

    /** Class names, index = label (the README's "Labels" table). */
    static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final int ROWS = 28;
    static final int COLUMNS = 28;

    /** Where the README points; the second is the project's own repository copy. */
    static final List<URI> MIRRORS = List.of(
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"));

    /** MD5 of each original {@code .gz} file, from the Fashion-MNIST README. */
    static final Map<String, String> GZIP_MD5 = Map.of(
            "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
            "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
            "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310");

    /** SHA-256 of each decompressed IDX file. */
    static final Map<String, String> IDX_SHA256 = Map.of(
            "train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    private FashionMnistRelease() { }

    /** The IDX file name (without {@code .gz}) of a split's images. */
    static String imagesFile(Split split) {
        return prefix(split) + "-images-idx3-ubyte";
    }

    /** The IDX file name (without {@code .gz}) of a split's labels. */
    static String labelsFile(Split split) {
        return prefix(split) + "-labels-idx1-ubyte";
    }

    /** The number of images the release has in a split. */
    static int size(Split split) {
        return split == Split.TRAIN ? 60_000 : 10_000;
    }

    private static String prefix(Split split) {
        return split == Split.TRAIN ? "train" : "t10k";
    }
}
