package io.difflab.datasets.shapes;

import io.difflab.api.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a grid of the first test images with their captions (the picture in the dataset's README):
 * {@code ./mvnw -pl datasets/shapes-captions -am test -Dtest=SampleGridTool -Dshapes.samples=samples.png}
 * (relative to the module folder). Runs only when asked: captions are drawn with the machine's fonts.
 */
class SampleGridTool {

    private static final int COLUMNS = 6;
    private static final int ROWS = 4;
    private static final int SCALE = 5;
    private static final int CAPTION_HEIGHT = 44;

    @Test
    @EnabledIfSystemProperty(named = "shapes.samples", matches = ".+")
    void writeTheSampleGrid() throws IOException {
        ShapesSplit split = ShapesGenerator.generate(0, Split.TEST, COLUMNS * ROWS, 32);
        int cell = 32 * SCALE;
        int width = COLUMNS * (cell + 8) + 8;
        int height = ROWS * (cell + CAPTION_HEIGHT + 8) + 8;
        BufferedImage grid = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        FontMetrics metrics = g.getFontMetrics();
        for (int i = 0; i < COLUMNS * ROWS; i++) {
            int x0 = 8 + (i % COLUMNS) * (cell + 8);
            int y0 = 8 + (i / COLUMNS) * (cell + CAPTION_HEIGHT + 8);
            for (int y = 0; y < 32 * SCALE; y++) {
                for (int x = 0; x < 32 * SCALE; x++) {
                    int at = i * 3 * 1024 + (y / SCALE) * 32 + x / SCALE;
                    int rgb = (split.pixels()[at] & 0xff) << 16 | (split.pixels()[at + 1024] & 0xff) << 8
                            | (split.pixels()[at + 2048] & 0xff);
                    grid.setRGB(x0 + x, y0 + y, rgb);
                }
            }
            int line = 0;
            for (String text : wrap(split.captions()[i], metrics, cell)) {
                g.drawString(text, x0, y0 + cell + 13 + 13 * line++);
            }
        }
        g.dispose();
        Path out = Path.of(System.getProperty("shapes.samples")).toAbsolutePath();
        Files.createDirectories(out.getParent());
        ImageIO.write(grid, "png", out.toFile());
        System.out.println("wrote " + out);
    }

    private static List<String> wrap(String text, FontMetrics metrics, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (metrics.stringWidth(candidate) > width && line.length() > 0) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        lines.add(line.toString());
        return lines;
    }
}
