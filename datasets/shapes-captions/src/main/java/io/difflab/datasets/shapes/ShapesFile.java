package io.difflab.datasets.shapes;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The on-disk form of a split, whose SHA-256 is the dataset checksum. Big-endian:
 * <pre>
 * magic "difflab-shapes\n" (15 bytes), version (int), side (int), count (int)
 * pixels: count·3·side·side bytes (RGB planes of each image, image after image)
 * scenes: per image the number of objects (byte), then per object shape, colour, size (ordinal bytes)
 *         and the centre's x, y in units of 1/{@value SceneLayout#POSITION_STEPS} (shorts)
 * captions: per image its UTF-8 caption (DataOutput.writeUTF)
 * </pre>
 */
final class ShapesFile {

    static final int VERSION = 1;
    private static final byte[] MAGIC = "difflab-shapes\n".getBytes(StandardCharsets.US_ASCII);

    /** A split read back, with the SHA-256 of the bytes read. */
    record Read(ShapesSplit split, String sha256) { }

    private ShapesFile() { }

    /** Writes {@code split} to {@code file}; returns the SHA-256 (hex) of the bytes written. */
    static String write(ShapesSplit split, Path file) throws IOException {
        MessageDigest digest = sha256();
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             DataOutputStream out = new DataOutputStream(new DigestOutputStream(raw, digest))) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(split.side());
            out.writeInt(split.size());
            out.write(split.pixels());
            for (Scene scene : split.scenes()) {
                out.writeByte(scene.size());
                for (SceneObject o : scene.objects()) {
                    out.writeByte(o.shape().ordinal());
                    out.writeByte(o.colour().ordinal());
                    out.writeByte(o.size().ordinal());
                    out.writeShort(position(o.x()));
                    out.writeShort(position(o.y()));
                }
            }
            for (String caption : split.captions()) {
                out.writeUTF(caption);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Reads a split of {@code side}-pixel images and {@code count} items from {@code file}.
     *
     * @throws IOException when the file is unreadable, of another layout, truncated or longer
     */
    static Read read(Path file, int side, int count) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DataInputStream in = new DataInputStream(new DigestInputStream(raw, digest))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            int version = in.readInt();
            int fileSide = in.readInt();
            int fileCount = in.readInt();
            if (!Arrays.equals(magic, MAGIC) || version != VERSION || fileSide != side || fileCount != count) {
                throw new IOException("not a version " + VERSION + " file of " + count + " images of " + side + "x"
                        + side + " pixels");
            }
            byte[] pixels = new byte[Math.multiplyExact(count, ShapesSplit.bytesPerImage(side))];
            in.readFully(pixels);
            Scene[] scenes = new Scene[count];
            for (int i = 0; i < count; i++) {
                scenes[i] = readScene(in);
            }
            String[] captions = new String[count];
            for (int i = 0; i < count; i++) {
                captions[i] = in.readUTF();
            }
            if (in.read() != -1) {
                throw new IOException("data beyond the last caption");
            }
            return new Read(new ShapesSplit(side, pixels, scenes, captions), HexFormat.of().formatHex(digest.digest()));
        } catch (EOFException e) {
            throw new IOException("truncated", e);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException("corrupt scene data: " + e.getMessage(), e);
        }
    }

    private static Scene readScene(DataInputStream in) throws IOException {
        int n = in.readUnsignedByte();
        if (n < 1 || n > ObjectGroup.MAX_COUNT) {
            throw new IOException("a scene of " + n + " objects");
        }
        SceneObject[] objects = new SceneObject[n];
        for (int k = 0; k < n; k++) {
            ShapeKind shape = ShapeKind.values()[in.readUnsignedByte()];
            Colour colour = Colour.values()[in.readUnsignedByte()];
            ObjectSize size = ObjectSize.values()[in.readUnsignedByte()];
            double x = (double) in.readUnsignedShort() / SceneLayout.POSITION_STEPS;
            double y = (double) in.readUnsignedShort() / SceneLayout.POSITION_STEPS;
            objects[k] = new SceneObject(shape, colour, size, x, y);
        }
        return new Scene(List.of(objects));
    }

    private static int position(double fraction) {
        return (int) Math.round(fraction * SceneLayout.POSITION_STEPS);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
