package io.difflab.datasets.shapes;

import io.difflab.api.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapesCacheTest {

    @TempDir
    Path folder;

    private ShapesCache cache() {
        return new ShapesCache(folder);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void theChecksumIsTheSha256OfTheCachedFileAndTheCacheIsReused() throws Exception {
        ShapesFile.Read first = cache().obtain(0, 32, Split.TEST, 300);
        Path file = cache().file(0, 32, Split.TEST, 300);
        assertEquals(sha256(file), first.sha256());
        assertEquals(first.sha256(), Files.readString(ShapesCache.checksumFile(file)).trim());
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(file, written);
        ShapesFile.Read second = cache().obtain(0, 32, Split.TEST, 300);
        assertEquals(written, Files.getLastModifiedTime(file), "read from the cache, not written again");
        assertEquals(first.sha256(), second.sha256());
        assertArrayEquals(first.split().pixels(), second.split().pixels());
        assertArrayEquals(first.split().scenes(), second.split().scenes());
        assertArrayEquals(first.split().captions(), second.split().captions());
    }

    @Test
    void aFlippedByteIsDetectedAndTheSplitGeneratedAgain() throws Exception {
        String checksum = cache().obtain(0, 32, Split.TEST, 300).sha256();
        Path file = cache().file(0, 32, Split.TEST, 300);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(5000);
            int b = raf.read();
            raf.seek(5000);
            raf.write(b ^ 0x40);
        }
        assertNotEquals(checksum, sha256(file));
        ShapesFile.Read again = cache().obtain(0, 32, Split.TEST, 300);
        assertEquals(checksum, again.sha256());
        assertEquals(checksum, sha256(file), "the damaged file was replaced");
    }

    @Test
    void aTruncatedFileOrAMissingChecksumIsGeneratedAgain() throws Exception {
        String checksum = cache().obtain(0, 32, Split.TEST, 300).sha256();
        Path file = cache().file(0, 32, Split.TEST, 300);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertEquals(checksum, cache().obtain(0, 32, Split.TEST, 300).sha256());
        Files.delete(ShapesCache.checksumFile(file));
        assertEquals(checksum, cache().obtain(0, 32, Split.TEST, 300).sha256());
        assertTrue(Files.isRegularFile(ShapesCache.checksumFile(file)));
    }

    @Test
    void aFileWhoseRecordedChecksumWasAlsoChangedFailsToParseOrIsRegeneratedWhenItsLengthIsWrong() throws Exception {
        String checksum = cache().obtain(0, 32, Split.TEST, 300).sha256();
        Path file = cache().file(0, 32, Split.TEST, 300);
        byte[] bytes = Files.readAllBytes(file);
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        Files.write(file, longer);
        Files.writeString(ShapesCache.checksumFile(file), HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(longer)), StandardCharsets.US_ASCII);
        assertEquals(checksum, cache().obtain(0, 32, Split.TEST, 300).sha256(), "trailing data is refused");
    }

    @Test
    void filesAreKeptApartBySeedSideSplitAndCount() {
        assertNotEquals(cache().file(0, 32, Split.TEST, 300), cache().file(1, 32, Split.TEST, 300));
        assertNotEquals(cache().file(0, 32, Split.TEST, 300), cache().file(0, 64, Split.TEST, 300));
        assertNotEquals(cache().file(0, 32, Split.TEST, 300), cache().file(0, 32, Split.TRAIN, 300));
        assertNotEquals(cache().file(0, 32, Split.TEST, 300), cache().file(0, 32, Split.TEST, 301));
    }

    @Test
    void anUnwritableFolderIsAUserError() throws IOException {
        Path blocker = Files.writeString(folder.resolve("not-a-folder"), "x");
        io.difflab.api.UserError e = org.junit.jupiter.api.Assertions.assertThrows(io.difflab.api.UserError.class,
                () -> new ShapesCache(blocker.resolve("cache")).obtain(0, 32, Split.TEST, 10));
        assertTrue(e.getMessage().contains("dataset.folder"), e::getMessage);
    }
}
