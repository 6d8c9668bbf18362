package io.difflab.datasets.imagefolder;

import io.difflab.api.UserError;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Decodes one PNG or JPEG file (javax.imageio) into {@code channels} planes of
 * {@code size}×{@code size} unsigned bytes, channel-major. A decoder warning (e.g. a truncated
 * JPEG, which the decoder would otherwise fill with grey) counts as a corrupt file.
 */
final class ImageDecoder {

    /** The largest side accepted. */
    static final int MAX_SIDE = 16_384;
    /** The most pixels accepted (about 50 megapixels): bigger images would take too much memory to decode. */
    static final long MAX_PIXELS = 50_000_000L;

    private final int size;
    private final int channels;

    /** Decodes to {@code channels} (1 or 3) planes of {@code size}×{@code size}. */
    ImageDecoder(int size, int channels) {
        this.size = size;
        this.channels = channels;
    }

    /**
     * Decodes {@code bytes}, the content of {@code file}, into {@code out} at {@code offset}.
     *
     * @throws UserError when the file cannot be decoded or its size cannot be handled
     */
    void decode(String file, byte[] bytes, byte[] out, int offset) {
        BufferedImage image = read(file, bytes);
        int per = size * size;
        for (int c = 0; c < channels; c++) {
            float[] square = SquareResize.apply(plane(image, c), image.getWidth(), image.getHeight(), size);
            for (int i = 0; i < per; i++) {
                out[offset + c * per + i] = (byte) Math.round(Math.max(0f, Math.min(255f, square[i])));
            }
        }
    }

    /**
     * Channel {@code c} of the image as values in [0, 255]: grey images (1 or 2 bands, not indexed) from
     * their raster, so no colour-space conversion alters them; others through sRGB, and for one
     * channel the luma 0.299·R + 0.587·G + 0.114·B (ITU-R BT.601). Alpha is dropped.
     */
    private float[] plane(BufferedImage image, int c) {
        int width = image.getWidth();
        int height = image.getHeight();
        float[] plane = new float[width * height];
        Raster raster = image.getRaster();
        if (raster.getNumBands() <= 2 && !(image.getColorModel() instanceof IndexColorModel)) {
            float scale = 255f / ((1L << raster.getSampleModel().getSampleSize(0)) - 1);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    plane[y * width + x] = raster.getSample(x, y, 0) * scale;
                }
            }
            return plane;
        }
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                int r = (row[x] >> 16) & 0xff;
                int g = (row[x] >> 8) & 0xff;
                int b = row[x] & 0xff;
                plane[y * width + x] = channels == 1 ? 0.299f * r + 0.587f * g + 0.114f * b
                        : (c == 0 ? r : c == 1 ? g : b);
            }
        }
        return plane;
    }

    /** Decodes the first image of a file, refusing oversized images before decoding them. */
    static BufferedImage read(String file, byte[] bytes) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UserError(file + " cannot be read: its content is not a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
                    throw new UserError(file + " is " + width + "x" + height + " pixels, too large to load (at most "
                            + MAX_SIDE + " per side and " + MAX_PIXELS / 1_000_000 + " megapixels); scale it down");
                }
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new UserError(file + " is corrupt: " + warnings.get(0));
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (UserError e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + " is corrupt or truncated and cannot be decoded (" + e.getMessage() + ")", e);
        }
    }
}
