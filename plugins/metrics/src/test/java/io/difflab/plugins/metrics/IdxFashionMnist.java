package io.difflab.plugins.metrics;

import io.difflab.api.ImageDataset;
import io.difflab.api.ImageShape;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Test-only reader of the gzip IDX files of Fashion-MNIST (the dataset plugin is written
 * elsewhere): pixels p in 0..255 become 2p/255 − 1.
 */
final class IdxFashionMnist implements ImageDataset {

    static final Path FOLDER = Path.of("/usr/share/datasets/fashion-mnist");

    private static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private final String id;
    private final byte[] pixels;
    private final byte[] labels;
    private final String checksum;

    private IdxFashionMnist(String id, byte[] pixels, byte[] labels, String checksum) {
        this.id = id;
        this.pixels = pixels;
        this.labels = labels;
        this.checksum = checksum;
    }

    /** Loads {@code train} or {@code t10k}. */
    static IdxFashionMnist load(String split) {
        Path images = FOLDER.resolve(split + "-images-idx3-ubyte.gz");
        Path labelFile = FOLDER.resolve(split + "-labels-idx1-ubyte.gz");
        try {
            byte[] pixels = read(images, 2051, 3);
            byte[] labels = read(labelFile, 2049, 1);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Files.readAllBytes(images));
            digest.update(Files.readAllBytes(labelFile));
            String name = split.equals("train") ? "train" : "test";
            return new IdxFashionMnist("fashion-mnist/" + name, pixels, labels,
                    HexFormat.of().formatHex(digest.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean available() {
        return Files.isRegularFile(FOLDER.resolve("train-images-idx3-ubyte.gz"));
    }

    private static byte[] read(Path file, int magic, int dims) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            if (in.readInt() != magic) {
                throw new IOException(file + " is not an IDX file with magic " + magic);
            }
            int size = 1;
            for (int d = 0; d < dims; d++) {
                size *= in.readInt();
            }
            byte[] data = new byte[size];
            in.readFully(data);
            return data;
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public ImageShape shape() {
        return new ImageShape(1, 28, 28);
    }

    @Override
    public void copyImage(int index, float[] into, int offset) {
        int base = index * 784;
        for (int i = 0; i < 784; i++) {
            into[offset + i] = (pixels[base + i] & 0xff) * (2f / 255f) - 1f;
        }
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public int numClasses() {
        return 10;
    }

    @Override
    public List<String> classNames() {
        return CLASSES;
    }

    @Override
    public String checksum() {
        return checksum;
    }
}
