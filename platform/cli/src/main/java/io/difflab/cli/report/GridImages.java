package io.difflab.cli.report;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Sample grids as a report page shows them: a grid wider than {@link #MAX_WIDTH} pixels (a run of
 * 1000 samples writes a 32 × 32 grid, ~1.2 MB) is scaled down to that width, area-averaged, so that
 * a sweep of dozens of such runs makes a page of megabytes, not hundreds.
 */
final class GridImages {

    /** The widest grid a page holds, in pixels. */
    static final int MAX_WIDTH = 320;

    private GridImages() {
    }

    /** Scales the PNG at {@code file} down in place if it is wider than {@link #MAX_WIDTH}; returns whether it did. */
    static boolean shrink(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null || image.getWidth() <= MAX_WIDTH) {
            return false;
        }
        int height = Math.max(1, (int) Math.round((double) image.getHeight() * MAX_WIDTH / image.getWidth()));
        Image scaled = image.getScaledInstance(MAX_WIDTH, height, Image.SCALE_AREA_AVERAGING);
        BufferedImage out = new BufferedImage(MAX_WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(scaled, 0, 0, null);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(out, "png", file.toFile())) {
            throw new IOException("no PNG writer for " + file);
        }
        return true;
    }
}
