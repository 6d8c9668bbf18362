package io.difflab.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a NumPy {@code .npz} file as NumPy defines it (a zip of {@code .npy} arrays: magic, version,
 * a header dict with {@code descr}, {@code fortran_order} and {@code shape}, then the data), without
 * the engine: what a user's {@code numpy.load} would see.
 */
final class Npz {

    /** One array: its shape and its values as doubles (from little-endian float32, int32 or int64). */
    record Array(long[] shape, String descr, double[] values) {
        long count() {
            return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npz() {
    }

    /** The arrays by name (the entry name without {@code .npy}), in file order. */
    static Map<String, Array> read(Path file) throws IOException {
        Map<String, Array> arrays = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                arrays.put(e.getName().replaceFirst("\\.npy$", ""), npy(zip.readAllBytes()));
            }
        }
        return arrays;
    }

    private static Array npy(byte[] bytes) throws IOException {
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException("not a .npy array");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLength = major == 1 ? b.getShort(8) & 0xffff : b.getInt(8);
        int dataStart = (major == 1 ? 10 : 12) + headerLength;
        String header = new String(bytes, major == 1 ? 10 : 12, headerLength, StandardCharsets.US_ASCII);
        if (header.contains("'fortran_order': True")) {
            throw new IOException("Fortran order is not read here");
        }
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) {
            throw new IOException("bad .npy header: " + header);
        }
        long[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        String descr = d.group(1);
        long n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        double[] values = new double[Math.toIntExact(n)];
        b.position(dataStart);
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (descr) {
                case "<f4" -> b.getFloat();
                case "<f8" -> b.getDouble();
                case "<i4" -> b.getInt();
                case "<i8" -> b.getLong();
                default -> throw new IOException("dtype " + descr + " is not read here");
            };
        }
        return new Array(shape, descr, values);
    }
}
