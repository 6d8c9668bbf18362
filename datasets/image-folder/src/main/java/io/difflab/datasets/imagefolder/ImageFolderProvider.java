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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A user's own folder of PNG or JPEG images, centre-cropped and resized to squares, with the
 * labels or captions of a CSV file, the captions of a {@code metadata.jsonl} (Hugging Face's
 * imagefolder layout) or of a .txt beside each image (DALLE-pytorch's layout), or none
 * ({@link ImageSources} says which), split into train and test by file-name hash.
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
        return "your own folder of PNG/JPEG images, with labels or captions from a CSV, a metadata.jsonl or .txt files";
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
                        + "or file,caption (\"\" = none); without it the images are unlabeled"),
                Option.choice("metadata", MetadataJsonl.DEFAULT, List.of(), "captions in the Hugging Face "
                        + "imagefolder layout: a JSON-lines file in the folder, {\"file_name\": ..., \"text\": ...} "
                        + "per image (\"\" = none)"),
                Option.bool("text_files", true, "captions in DALLE-pytorch's layout: a .txt beside each image "
                        + "(cat.png, cat.txt), one caption per line, each line an item"));
    }

    @Override
    public ImageDataset load(Config config, Split split) {
        Path folder = ImageFiles.folder(config.getString("folder"));
        int size = config.getInt("image_size");
        int channels = config.getInt("channels");
        if (channels != 1 && channels != 3) {
            throw new UserError("dataset.channels must be 1 (grey) or 3 (RGB), not " + channels);
        }
        List<String> all = ImageFiles.scan(folder);
        ImageRows rows = ImageSources.rows(folder, config, all);
        List<String> names = rows.files();
        if (all.isEmpty()) {
            throw new UserError("no PNG or JPEG images in " + folder);
        }
        if (names.size() < all.size()) {
            LOG.warn("{} of the {} images in {} are not listed in its labels, metadata or caption files and are left "
                    + "out", all.size() - names.size(), all.size(), folder);
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
        digest.update(rows.content());
        String id = "image-folder/" + split.name().toLowerCase();
        return items(id, shape, chosen, pixels, rows, hex(digest));
    }

    /** The dataset of the {@code chosen} images: their rows, image by image, in source order within each. */
    private static ImageFolderDataset items(String id, ImageShape shape, List<String> chosen, byte[] pixels,
                                            ImageRows rows, String checksum) {
        Map<String, List<ImageRows.Row>> byFile = rows.rows().stream()
                .collect(Collectors.groupingBy(ImageRows.Row::file, LinkedHashMap::new, Collectors.toList()));
        List<String> classNames = rows.labeled()
                ? ClassNames.of(rows.rows().stream().map(ImageRows.Row::label).toList()) : List.of();
        List<Integer> imageOf = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            for (ImageRows.Row row : byFile.get(chosen.get(i))) {
                imageOf.add(i);
                labels.add(rows.labeled() ? classNames.indexOf(row.label()) : -1);
                captions.add(row.caption());
            }
        }
        return new ImageFolderDataset(id, shape, chosen, pixels, toArray(imageOf),
                rows.labeled() ? toArray(labels) : null, classNames, rows.captioned() ? captions : null, checksum);
    }

    private static int[] toArray(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
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
