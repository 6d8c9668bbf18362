package io.difflab.datasets.shapes;

import io.difflab.api.Config;
import io.difflab.api.DatasetProvider;
import io.difflab.api.ImageDataset;
import io.difflab.api.Option;
import io.difflab.api.Split;
import io.difflab.api.UserError;
import org.pf4j.Extension;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * shapes-captions: generated RGB images of one to four coloured shapes with captions that are true
 * of them (counts, attribute binding, spatial relations), and each image's ground-truth scene;
 * made to measure how faithfully text-to-image models follow captions.
 */
@Extension
public final class ShapesCaptionsProvider implements DatasetProvider {

    /** The image sides offered. */
    static final List<Integer> SIDES = List.of(32, 64);

    /** Needs no host services. */
    public ShapesCaptionsProvider() {
    }

    @Override
    public String name() {
        return "shapes-captions";
    }

    @Override
    public String description() {
        return "shapes-captions: generated 32x32 (or 64x64) RGB scenes of 1-4 coloured shapes with true captions "
                + "and ground-truth scenes, 60000 train / 10000 test";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.integer("image_size", 32, 32, 64, "image side in pixels: 32 or 64"),
                Option.integer("seed", 0, 0, Integer.MAX_VALUE, "seeds the whole dataset (not the run's seed)"),
                Option.integer("train_size", 60_000, 1, 1_000_000, "images in the train split"),
                Option.integer("test_size", 10_000, 1, 1_000_000, "images in the test split"),
                Option.choice("folder", "", List.of(), "the cache folder (\"\" = " + ShapesCache.userCache() + ")"));
    }

    @Override
    public ImageDataset load(Config config, Split split) {
        int side = config.getInt("image_size");
        if (!SIDES.contains(side)) {
            throw new UserError(config.path() + ".image_size is " + side + "; shapes-captions draws " + SIDES
                    + " pixel images");
        }
        String folder = config.getString("folder");
        ShapesCache cache = new ShapesCache(folder.isBlank() ? ShapesCache.userCache() : Path.of(expandHome(folder)));
        int count = config.getInt(split == Split.TRAIN ? "train_size" : "test_size");
        ShapesFile.Read read = cache.obtain(config.getInt("seed"), side, split, count);
        return new ShapesCaptionsDataset("shapes-captions/" + split.name().toLowerCase(Locale.ROOT), read.split(),
                read.sha256());
    }

    private static String expandHome(String folder) {
        return folder.equals("~") || folder.startsWith("~/") ? System.getProperty("user.home") + folder.substring(1)
                : folder;
    }
}
