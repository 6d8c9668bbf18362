package io.difflab.datasets.imagefolder;

import io.difflab.api.Config;
import io.difflab.api.UserError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which source lists a folder's items: the labels CSV ({@code dataset.csv}, default
 * {@code labels.csv}) or the Hugging Face {@code metadata.jsonl} ({@code dataset.metadata}), each
 * when present (never both); else the .txt caption files beside the images ({@code
 * dataset.text_files}), when any image has one; else every image, without labels or captions.
 */
final class ImageSources {

    private ImageSources() {
    }

    /**
     * The rows of {@code folder}.
     *
     * @param images every image in the folder, relative names in sorted order
     */
    static ImageRows rows(Path folder, Config config, List<String> images) {
        String csvName = config.getString("csv");
        String metadataName = config.getString("metadata");
        Path csv = present(folder, csvName, ImageFolderProvider.DEFAULT_CSV, "dataset.csv");
        Path metadata = present(folder, metadataName, MetadataJsonl.DEFAULT, "dataset.metadata");
        if (csv != null && metadata != null) {
            throw new UserError(folder + " has both " + csvName + " and " + metadataName + "; keep one, or set "
                    + "dataset.csv: \"\" or dataset.metadata: \"\" to read the other");
        }
        if (csv != null) {
            return LabelsCsv.read(folder, csvName).rows();
        }
        if (metadata != null) {
            return MetadataJsonl.read(folder, metadataName);
        }
        if (config.getBoolean("text_files")) {
            ImageRows pairs = CaptionFiles.read(folder, images);
            if (pairs != null) {
                return pairs;
            }
        }
        return new ImageRows(images.stream().map(f -> new ImageRows.Row(f, null, null)).toList(), false, false,
                new byte[0]);
    }

    /**
     * The file {@code name} in the folder, or null when none is named or the default is absent; a
     * file named explicitly must exist.
     */
    private static Path present(Path folder, String name, String defaultName, String key) {
        if (name.isBlank()) {
            return null;
        }
        Path file = ImageFiles.resolveInside(folder, name, key);
        if (!Files.exists(file)) {
            if (name.equals(defaultName)) {
                return null;
            }
            throw new UserError(key + " names " + name + ", which does not exist in " + folder);
        }
        return file;
    }
}
