package io.difflab.host.run;

import io.difflab.kit.train.SharedFiles;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a batch of images (N,C,H,W in [−1, 1]) as one PNG grid, each image scaled up by an integer factor. */
public final class SampleGrid {

    private SampleGrid() {
    }

    /**
     * @param samples (N, C, H, W) with C = 1 (grey) or 3 (RGB), values in [−1, 1] (clipped)
     * @param columns images per row
     * @param scale   integer upscaling of each pixel, for legibility of 28×28 images
     * @param file    the PNG to write (atomically: a temporary file is renamed into place)
     */
    public static void write(NDArray samples, int columns, int scale, Path file) {
        long[] s = samples.getShape().getShape();
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        float[] v = samples.toType(DataType.FLOAT32, false).toFloatArray(); // read into host memory from any device
        int cols = Math.max(1, Math.min(columns, n));
        int rows = (n + cols - 1) / cols;
        int pad = 2;
        BufferedImage img = new BufferedImage(cols * (w * scale + pad) + pad, rows * (h * scale + pad) + pad,
                BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < n; i++) {
            int ox = pad + (i % cols) * (w * scale + pad);
            int oy = pad + (i / cols) * (h * scale + pad);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = pixel(v, i, c, h, w, y, x);
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            img.setRGB(ox + x * scale + dx, oy + y * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = SharedFiles.createTempFile(file.toAbsolutePath().getParent(), ".grid", ".png");
            ImageIO.write(img, "png", tmp.toFile());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static int pixel(float[] v, int i, int c, int h, int w, int y, int x) {
        int base = i * c * h * w + y * w + x;
        int r = toByte(v[base]);
        if (c == 1) {
            return (r << 16) | (r << 8) | r;
        }
        int g = toByte(v[base + h * w]);
        int b = toByte(v[base + 2 * h * w]);
        return (r << 16) | (g << 8) | b;
    }

    private static int toByte(float value) {
        float clipped = Math.max(-1f, Math.min(1f, value));
        return Math.round((clipped + 1f) * 127.5f);
    }
}
