package io.difflab.cli.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GridImagesTest {

    @TempDir
    Path dir;

    private Path png(String name, int width, int height, int rgb) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, rgb);
            }
        }
        Path file = dir.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    @Test
    void aWideGridIsScaledToTheMaximumWidthKeepingItsAspectAndColours() throws Exception {
        Path wide = png("wide.png", 960, 480, 0x336699);
        assertTrue(GridImages.shrink(wide));
        BufferedImage out = ImageIO.read(wide.toFile());
        assertEquals(GridImages.MAX_WIDTH, out.getWidth());
        assertEquals(160, out.getHeight());
        assertEquals(0x336699, out.getRGB(100, 100) & 0xffffff, "area averaging keeps a flat colour");
    }

    @Test
    void aNarrowGridIsLeftAsItIs() throws Exception {
        Path narrow = png("narrow.png", 200, 200, 0x000000);
        assertFalse(GridImages.shrink(narrow));
        assertEquals(200, ImageIO.read(narrow.toFile()).getWidth());
    }
}
