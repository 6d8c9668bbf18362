package io.difflab.host.run;

import io.difflab.api.ImageShape;
import io.difflab.api.UserError;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reference images from a folder ({@code sample.reference_images}): every PNG, JPEG, BMP or GIF in
 * file-name order, scaled to the dataset's size (bilinear), as grey (luminance) or RGB to match its
 * channels, with values mapped from [0, 255] to [−1, 1], channel-major.
 */
final class ReferenceImages {

    private ReferenceImages() {
    }

    static List<float[]> load(Path folder, ImageShape shape) {
        if (!Files.isDirectory(folder)) {
            throw new UserError("sample.reference_images: no folder " + folder);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(png|jpe?g|bmp|gif)")).sorted().toList();
        } catch (IOException e) {
            throw new UserError("sample.reference_images: cannot list " + folder + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new UserError("sample.reference_images: " + folder + " holds no PNG, JPEG, BMP or GIF images");
        }
        List<float[]> out = new ArrayList<>();
        for (Path file : files) {
            out.add(read(file, shape));
        }
        return out;
    }

    private static float[] read(Path file, ImageShape shape) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UserError("sample.reference_images: cannot read " + file + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new UserError("sample.reference_images: " + file + " is not an image this platform can decode");
        }
        int h = shape.height();
        int w = shape.width();
        BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        int c = shape.channels();
        float[] values = new float[c * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = scaled.getRGB(x, y);
                int[] px = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                for (int ch = 0; ch < c; ch++) {
                    // ITU-R BT.601 luminance for grey datasets
                    double v = c == 1 ? 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2] : px[ch];
                    values[(ch * h + y) * w + x] = (float) (v / 127.5 - 1.0);
                }
            }
        }
        return values;
    }
}
