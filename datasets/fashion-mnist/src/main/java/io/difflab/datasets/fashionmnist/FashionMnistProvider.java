package io.difflab.datasets.fashionmnist;

import io.difflab.api.ConditionFields;
import io.difflab.api.Config;
import io.difflab.api.DatasetInfo;
import io.difflab.api.DatasetProvider;
import io.difflab.api.ImageDataset;
import io.difflab.api.Option;
import io.difflab.api.Split;
import io.difflab.api.UserError;
import org.pf4j.Extension;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): 28×28 grayscale images of clothing in 10
 * classes, 60,000 for training and 10,000 for testing, read from the release's IDX files.
 */
@Extension
public final class FashionMnistProvider implements DatasetProvider {

    /** Needs no host services. */
    public FashionMnistProvider() {
    }

    @Override
    public String name() {
        return "fashion-mnist";
    }

    @Override
    public String description() {
        return "Fashion-MNIST: 28x28 grayscale clothing images, 10 classes, 60000 train / 10000 test";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.choice("folder", "", List.of(), "a folder holding the IDX files; looked in before "
                        + FashionMnistLocator.DEBIAN_FOLDER + " and the user cache"),
                Option.integer("limit", 0, 0, Integer.MAX_VALUE, "keep only the first N images (0 = all)"),
                Option.intList("classes", List.of(), 0, 9, "keep only these labels (empty = all)"));
    }

    @Override
    public ImageDataset load(Config config, Split split) {
        return load(FashionMnistLocator.standard(config.getString("folder")), config, split);
    }

    /**
     * 1×28×28, its 10 classes, labels and captions, without reading the images; the files must be
     * there (the same message as {@link #load} when they are not).
     */
    @Override
    public DatasetInfo describe(Config config) {
        FashionMnistLocator.standard(config.getString("folder")).locate(Split.TRAIN);
        return new DatasetInfo(FashionMnistDataset.SHAPE, FashionMnistRelease.CLASS_NAMES, Map.of(ConditionFields.LABEL, Integer.class,
                ConditionFields.CAPTION, String.class));
    }

    /** Loads {@code split} from the files {@code locator} finds. */
    static ImageDataset load(FashionMnistLocator locator, Config config, Split split) {
        FashionMnistLocator.SplitFiles files = locator.locate(split);
        MessageDigest splitDigest = IdxFile.newSha256();
        IdxFile images = IdxFile.read(files.images(), IdxFile.IMAGES_MAGIC, splitDigest);
        IdxFile labels = IdxFile.read(files.labels(), IdxFile.LABELS_MAGIC, splitDigest);
        int n = FashionMnistRelease.size(split);
        checkRelease(images, FashionMnistRelease.imagesFile(split), n, FashionMnistRelease.ROWS,
                FashionMnistRelease.COLUMNS);
        checkRelease(labels, FashionMnistRelease.labelsFile(split), n);
        String id = "fashion-mnist/" + split.name().toLowerCase();
        String checksum = HexFormat.of().formatHex(splitDigest.digest());
        return select(id, images.data(), labels.data(), config.getIntList("classes"), config.getInt("limit"),
                checksum);
    }

    /** Checks sizes (for a clear message), then the content against the release's SHA-256. */
    private static void checkRelease(IdxFile file, String releaseName, int... dimensions) {
        if (!Arrays.equals(file.dimensions(), dimensions)) {
            throw new UserError(file.path() + " has sizes " + Arrays.toString(file.dimensions()) + ", but "
                    + releaseName + " of Fashion-MNIST has " + Arrays.toString(dimensions));
        }
        String expected = FashionMnistRelease.IDX_SHA256.get(releaseName);
        if (!expected.equals(file.sha256())) {
            throw new UserError(file.path() + " is not Fashion-MNIST's " + releaseName + ": its decompressed "
                    + "SHA-256 is " + file.sha256() + ", the release's is " + expected
                    + " (a modified copy, or another dataset such as MNIST); replace it with the original");
        }
    }

    /** Keeps the images whose label is in {@code classes} (all when empty), then the first {@code limit} (0 = all). */
    static FashionMnistDataset select(String id, byte[] pixels, byte[] labels, List<Integer> classes, int limit,
                                      String checksum) {
        Set<Integer> keep = new HashSet<>(classes);
        int max = limit > 0 ? Math.min(limit, labels.length) : labels.length;
        int[] kept = new int[max];
        int count = 0;
        for (int i = 0; i < labels.length && count < max; i++) {
            if (keep.isEmpty() || keep.contains((int) labels[i])) {
                kept[count++] = i;
            }
        }
        if (count == labels.length) {
            return new FashionMnistDataset(id, pixels, labels, checksum);
        }
        int per = FashionMnistDataset.SHAPE.size();
        byte[] keptPixels = new byte[count * per];
        byte[] keptLabels = new byte[count];
        for (int k = 0; k < count; k++) {
            System.arraycopy(pixels, kept[k] * per, keptPixels, k * per, per);
            keptLabels[k] = labels[kept[k]];
        }
        return new FashionMnistDataset(id, keptPixels, keptLabels, checksum);
    }
}
