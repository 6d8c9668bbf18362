package io.difflab.datasets.imagefolder;

import io.difflab.api.Config;
import io.difflab.api.DatasetProvider;
import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;
import io.difflab.api.Option;
import io.difflab.api.Split;
import io.difflab.api.UserError;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A user's own folder of PNG or JPEG images, centre-cropped and resized to squares, with the
 * labels or captions of an optional CSV file, split into train and test by file-name hash.
 */
@Extension
public final class ImageFolderProvider implements DatasetProvider {

    static final String DEFAULT_CSV = "labels.csv";
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderProvider.class);

    /** Needs no host services. */
    public ImageFolderProvider() {
    }

    @Override
    public String name() {
        return "image-folder";
    }

    @Override
    public String description() {
        return "your own folder of PNG/JPEG images, with an optional CSV of labels or captions";
    }

    @Override
    public List<Option> options() {
        return List.of(
                new Option("folder", Option.Type.STRING, null, null, null, List.of(),
                        "the folder of PNG/JPEG images (searched recursively)"),
                Option.integer("image_size", 32, 4, 1024, "the side of the square images, in pixels"),
                Option.integer("channels", 3, 1, 3, "1 for grey or 3 for RGB"),
                Option.real("test_fraction", 0.1, 0.0, 1.0, "the fraction of images in the test split"),
                Option.choice("csv", DEFAULT_CSV, List.of(), "a CSV in the folder with the columns file,label "
                        + "or file,caption (\"\" = none); without it the images are unlabeled"));
    }

    @Override
    public ImageDataset load(Config config, Split split) {
        Path folder = ImageFiles.folder(config.getString("folder"));
        int size = config.getInt("image_size");
        int channels = config.getInt("channels");
        if (channels != 1 && channels != 3) {
            throw new UserError("dataset.channels must be 1 (grey) or 3 (RGB), not " + channels);
        }
        LabelsCsv csv = readCsv(folder, config.getString("csv"));
        List<String> all = ImageFiles.scan(folder);
        List<String> names = csv == null ? all : csv.entries().stream().map(LabelsCsv.Entry::file).toList();
        if (all.isEmpty()) {
            throw new UserError("no PNG or JPEG images in " + folder);
        }
        if (csv != null && names.size() < all.size()) {
            LOG.warn("{} of the {} images in {} are not listed in {} and are left out",
                    all.size() - names.size(), all.size(), folder, csv.file().getFileName());
        }
        double testFraction = config.getDouble("test_fraction");
        List<String> chosen = HashSplit.select(names, testFraction, split);
        if (chosen.isEmpty()) {
            throw new UserError("the " + split.name().toLowerCase() + " split of " + folder + " is empty: "
                    + names.size() + " images with test_fraction " + testFraction + " give "
                    + HashSplit.testCount(names.size(), testFraction) + " test images; change dataset.test_fraction");
        }
        ImageShape shape = new ImageShape(channels, size, size);
        byte[] pixels = new byte[chosen.size() * shape.size()];
        MessageDigest digest = sha256();
        ImageDecoder decoder = new ImageDecoder(size, channels);
        for (int i = 0; i < chosen.size(); i++) {
            Path file = folder.resolve(chosen.get(i));
            byte[] bytes = readFile(file);
            digest.update(chosen.get(i).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(bytes);
            decoder.decode(file.toString(), bytes, pixels, i * shape.size());
        }
        String id = "image-folder/" + split.name().toLowerCase();
        if (csv == null) {
            return new ImageFolderDataset(id, shape, chosen, pixels, null, List.of(), null, hex(digest));
        }
        digest.update(csv.bytes());
        Map<String, LabelsCsv.Entry> byFile = csv.entries().stream()
                .collect(Collectors.toMap(LabelsCsv.Entry::file, Function.identity()));
        List<String> classNames = csv.labeled()
                ? ClassNames.of(csv.entries().stream().map(LabelsCsv.Entry::label).toList()) : List.of();
        int[] labels = csv.labeled() ? new int[chosen.size()] : null;
        List<String> captions = csv.captioned() ? new ArrayList<>() : null;
        for (int i = 0; i < chosen.size(); i++) {
            LabelsCsv.Entry entry = byFile.get(chosen.get(i));
            if (labels != null) {
                labels[i] = classNames.indexOf(entry.label());
            }
            if (captions != null) {
                captions.add(entry.caption());
            }
        }
        return new ImageFolderDataset(id, shape, chosen, pixels, labels, classNames, captions, hex(digest));
    }

    /** The CSV, or null when none is named or the default one is absent; a CSV named explicitly must exist. */
    private static LabelsCsv readCsv(Path folder, String name) {
        if (name.isBlank()) {
            return null;
        }
        Path file = ImageFiles.resolveInside(folder, name, "dataset.csv");
        if (!Files.exists(file)) {
            if (name.equals(DEFAULT_CSV)) {
                return null;
            }
            throw new UserError("dataset.csv names " + name + ", which does not exist in " + folder);
        }
        return LabelsCsv.read(folder, name);
    }

    private static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
