package io.difflab.datasets.fashionmnist;

import io.difflab.api.UserError;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One IDX file (LeCun et al.'s MNIST format: a big-endian magic number 0x0000_08_0D holding the
 * element type 0x08 = unsigned byte and the number of dimensions D, then D sizes, then the data),
 * gzip-compressed or plain, read whole with its magic number and sizes checked.
 *
 * @param path       where it was read from
 * @param dimensions the sizes, e.g. {@code [60000, 28, 28]}
 * @param data       the unsigned bytes, row-major
 * @param sha256     the SHA-256 (hex) of the decompressed file
 */
record IdxFile(Path path, int[] dimensions, byte[] data, String sha256) {

    /** Magic number of a 3-dimensional unsigned-byte IDX file (images). */
    static final int IMAGES_MAGIC = 0x0000_0803;
    /** Magic number of a 1-dimensional unsigned-byte IDX file (labels). */
    static final int LABELS_MAGIC = 0x0000_0801;

    private static final int GZIP_MAGIC = 0x1f8b;

    /**
     * Reads {@code path}, which must carry {@code magic}; {@code alsoDigest} (may be null) sees
     * every decompressed byte as well.
     *
     * @throws UserError when the file is not IDX, is truncated, has trailing data or is corrupt
     */
    static IdxFile read(Path path, int magic, MessageDigest alsoDigest) {
        MessageDigest sha256 = newSha256();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            InputStream in = isGzip(raw) ? new GZIPInputStream(raw, 1 << 16) : raw;
            in = new DigestInputStream(in, sha256);
            if (alsoDigest != null) {
                in = new DigestInputStream(in, alsoDigest);
            }
            DataInputStream data = new DataInputStream(in);
            int found = data.readInt();
            if (found != magic) {
                throw new UserError(String.format("%s is not an IDX file of the expected kind: its magic number is "
                        + "0x%08x, expected 0x%08x (the file is corrupt or not what its name says)", path, found, magic));
            }
            int[] dimensions = new int[magic & 0xff];
            long count = 1;
            for (int d = 0; d < dimensions.length; d++) {
                dimensions[d] = data.readInt();
                count *= dimensions[d];
                if (dimensions[d] <= 0 || count > Integer.MAX_VALUE - 64) {
                    throw new UserError(path + " is corrupt: its IDX header gives impossible sizes");
                }
            }
            byte[] body = new byte[(int) count];
            try {
                data.readFully(body);
            } catch (EOFException e) {
                throw new UserError(path + " is truncated: its IDX header promises " + count
                        + " bytes of data but the file ends early; delete it and get it again", e);
            }
            if (data.read() != -1) {
                throw new UserError(path + " is corrupt: it has data beyond the sizes its IDX header gives");
            }
            return new IdxFile(path, dimensions, body, HexFormat.of().formatHex(sha256.digest()));
        } catch (ZipException | EOFException e) {
            String reason = e.getMessage() == null ? "it ends early" : e.getMessage();
            throw new UserError(path + " is truncated or corrupt (" + reason + "); delete it and get it again", e);
        } catch (IOException e) {
            throw new UserError("cannot read " + path + ": " + e, e);
        }
    }

    /** The number of items (the first dimension). */
    int count() {
        return dimensions[0];
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return ((b0 << 8) | b1) == GZIP_MAGIC;
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
