package io.difflab.datasets.imagefolder;

import io.difflab.api.UserError;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The captions of a folder in DALLE-pytorch's layout: beside each image a text file of the same
 * name ({@code birds/robin.png} and {@code birds/robin.txt}) holding its captions, one per line.
 * Each non-blank line makes one item of the image with that caption: DALLE-pytorch draws one of
 * the lines each time it loads the image, and one item per line weighs the lines alike, the same
 * way every run. Images without a text file are left out, as DALLE-pytorch keeps only the pairs.
 */
final class CaptionFiles {

    private CaptionFiles() {
    }

    /**
     * The rows of {@code images} that have a caption file, or null when none has one.
     *
     * @param images the folder's images, relative names in sorted order
     * @throws UserError when a caption file cannot be read, is not UTF-8 or has only blank lines
     */
    static ImageRows read(Path folder, List<String> images) {
        List<ImageRows.Row> rows = new ArrayList<>();
        ByteArrayOutputStream files = new ByteArrayOutputStream();
        for (String image : images) {
            String textName = textName(image);
            Path textFile = folder.resolve(textName);
            if (!Files.isRegularFile(textFile)) {
                continue;
            }
            TextFile text = TextFile.read(textFile);
            int before = rows.size();
            String content = text.content().startsWith("\uFEFF") ? text.content().substring(1) : text.content();
            for (String line : content.split("\r?\n")) {
                String caption = line.strip();
                if (!caption.isEmpty()) {
                    rows.add(new ImageRows.Row(image, null, caption));
                }
            }
            if (rows.size() == before) {
                throw new UserError(textFile + " holds no caption for " + image + ": every line is blank; write one "
                        + "caption per line, or delete the file to leave the image out");
            }
            files.writeBytes(textName.getBytes(StandardCharsets.UTF_8));
            files.write(0);
            files.writeBytes(text.bytes());
        }
        return rows.isEmpty() ? null : new ImageRows(rows, false, true, files.toByteArray());
    }

    /** {@code dir/name.png} → {@code dir/name.txt}. */
    static String textName(String image) {
        int dot = image.lastIndexOf('.');
        return image.substring(0, dot) + ".txt";
    }
}
