package io.difflab.tracking.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a metric file from a byte offset, complete lines only: an unterminated last line is
 * being written (or was cut by a crash) and is left for later, so a reader never sees half a
 * value and a byte offset is an exact cursor of what was read.
 */
public final class MetricFile {

    private static final Logger LOG = LoggerFactory.getLogger(MetricFile.class);

    private MetricFile() {
    }

    /**
     * The points of the complete lines after {@code offset}, at most {@code maxPoints}.
     *
     * @param endOffset the offset just after the last line read (the next cursor)
     */
    public record Chunk(List<MetricPoint> points, long endOffset) { }

    /** Reads at most {@code maxPoints} complete lines of {@code file} starting at {@code offset}. */
    public static Chunk read(Path file, long offset, int maxPoints) throws IOException {
        List<MetricPoint> points = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return new Chunk(points, offset);
        }
        long position = offset;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(offset);
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024);
            ByteArrayOutputStream line = new ByteArrayOutputStream(64);
            int b;
            while (points.size() < maxPoints && (b = in.read()) >= 0) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                position += line.size() + 1;
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (text.isBlank()) {
                    continue;
                }
                try {
                    points.add(MetricPoint.parse(text));
                } catch (IllegalArgumentException e) {
                    LOG.warn("skipping a malformed line of {}: {}", file, e.getMessage());
                }
            }
        }
        return new Chunk(points, position);
    }

    /** Every complete point of {@code file}, in file order. */
    public static List<MetricPoint> readAll(Path file) throws IOException {
        return read(file, 0, Integer.MAX_VALUE).points();
    }
}
