package io.difflab.datasets.imagefolder;

import io.difflab.api.Config;
import io.difflab.api.Option;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes small test images and builds spec sections the way the host validates them. */
final class TestImages {

    private TestImages() {
    }

    /** A {@code width}×{@code height} RGB image of one colour, written as PNG or JPEG by the file's extension. */
    static Path solid(Path file, int width, int height, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return write(image, file);
    }

    /** A grey image of one value. */
    static Path grey(Path file, int width, int height, int value) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, value);
            }
        }
        return write(image, file);
    }

    static Path write(BufferedImage image, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString();
        String format = name.endsWith(".png") ? "png" : "jpeg";
        if (!ImageIO.write(image, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return file;
    }

    /** Every option's default, then {@code values}. */
    static Config config(Map<String, Object> values) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (Option option : new ImageFolderProvider().options()) {
            if (!option.required()) {
                all.put(option.key(), option.defaultValue());
            }
        }
        all.putAll(values);
        return new Config("dataset", all);
    }
}
