package io.difflab.datasets.fashionmnist;

import io.difflab.api.Split;
import io.difflab.api.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Missing, truncated, corrupt and foreign files give one clear message each. */
class CorruptFilesTest {

    private static final Path DEBIAN = FashionMnistLocator.DEBIAN_FOLDER;
    private static final String IMAGES = "t10k-images-idx3-ubyte";
    private static final String LABELS = "t10k-labels-idx1-ubyte";

    @TempDir
    Path dir;

    /** Looks only in {@code folder} and a cache in the temp dir; downloads find nothing listening. */
    private FashionMnistLocator locatorFor(Path folder) {
        UpstreamDownload offline = new UpstreamDownload(List.of(URI.create("http://127.0.0.1:1/")),
                FashionMnistRelease.GZIP_MD5);
        return new FashionMnistLocator(List.of(folder), dir.resolve("cache"), offline);
    }

    private String loadFails(Path folder) {
        FashionMnistProvider provider = new FashionMnistProvider();
        UserError error = assertThrows(UserError.class, () -> FashionMnistProvider.load(locatorFor(folder),
                TestConfigs.config(provider, Map.of()), Split.TEST));
        return error.getMessage();
    }

    @Test
    void missingEverywhereAndOfflineNamesTheFoldersAndTheInstallCommand() {
        Path nowhere = dir.resolve("nowhere");
        String message = loadFails(nowhere);
        assertTrue(message.contains(nowhere.toString()), message);
        assertTrue(message.contains(dir.resolve("cache").toString()), message);
        assertTrue(message.contains("t10k-images-idx3-ubyte.gz"), message);
        assertTrue(message.contains("sudo apt-get install dataset-fashion-mnist"), message);
        assertTrue(message.contains("http://127.0.0.1:1/t10k-images-idx3-ubyte.gz"), message);
    }

    @Test
    void decompressedCopiesInTheConfiguredFolderAreFoundFirstAndVerified() throws IOException {
        Files.write(dir.resolve(IMAGES), gunzip(IMAGES));
        Files.write(dir.resolve(LABELS), gunzip(LABELS));
        FashionMnistLocator.SplitFiles files = FashionMnistLocator.standard(dir.toString()).locate(Split.TEST);
        assertEquals(dir.resolve(IMAGES), files.images());
        FashionMnistProvider provider = new FashionMnistProvider();
        var dataset = FashionMnistProvider.load(locatorFor(dir), TestConfigs.config(provider, Map.of()), Split.TEST);
        assertEquals(10_000, dataset.size());
        assertEquals("30214f3fe91405cb8ea60b11ecf0914a65dd6a6ca8e13c13a62eb434f2d9fe56", dataset.checksum());
    }

    @Test
    void truncatedGzipIsReported() throws IOException {
        byte[] gz = Files.readAllBytes(DEBIAN.resolve(IMAGES + ".gz"));
        Files.write(dir.resolve(IMAGES + ".gz"), Arrays.copyOf(gz, 100_000));
        Files.copy(DEBIAN.resolve(LABELS + ".gz"), dir.resolve(LABELS + ".gz"));
        String message = loadFails(dir);
        assertTrue(message.contains(dir.resolve(IMAGES + ".gz") + " is truncated"), message);
    }

    @Test
    void truncatedPlainFileIsReported() throws IOException {
        byte[] idx = gunzip(IMAGES);
        Files.write(dir.resolve(IMAGES), Arrays.copyOf(idx, idx.length - 1));
        Files.write(dir.resolve(LABELS), gunzip(LABELS));
        String message = loadFails(dir);
        assertTrue(message.contains(dir.resolve(IMAGES) + " is truncated: its IDX header promises 7840000 bytes"),
                message);
    }

    @Test
    void labelsWhereImagesBelongFailOnTheMagicNumber() throws IOException {
        Files.copy(DEBIAN.resolve(LABELS + ".gz"), dir.resolve(IMAGES + ".gz"));
        Files.copy(DEBIAN.resolve(LABELS + ".gz"), dir.resolve(LABELS + ".gz"));
        String message = loadFails(dir);
        assertTrue(message.contains("magic number is 0x00000801, expected 0x00000803"), message);
    }

    @Test
    void aFileThatIsNotIdxAtAllFailsOnTheMagicNumber() throws IOException {
        Files.writeString(dir.resolve(IMAGES + ".gz"), "<html>404 Not Found</html>");
        Files.copy(DEBIAN.resolve(LABELS + ".gz"), dir.resolve(LABELS + ".gz"));
        String message = loadFails(dir);
        assertTrue(message.contains(dir.resolve(IMAGES + ".gz") + " is not an IDX file"), message);
    }

    @Test
    void oneChangedPixelFailsTheReleaseChecksum() throws IOException {
        byte[] idx = gunzip(IMAGES);
        idx[16 + 400]++;
        Files.write(dir.resolve(IMAGES), idx);
        Files.write(dir.resolve(LABELS), gunzip(LABELS));
        String message = loadFails(dir);
        assertTrue(message.contains("is not Fashion-MNIST's t10k-images-idx3-ubyte"), message);
        assertTrue(message.contains("5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"), message);
    }

    @Test
    void trailingDataIsReported() throws IOException {
        byte[] idx = gunzip(LABELS);
        Files.write(dir.resolve(LABELS), Arrays.copyOf(idx, idx.length + 1));
        Files.copy(DEBIAN.resolve(IMAGES + ".gz"), dir.resolve(IMAGES + ".gz"));
        String message = loadFails(dir);
        assertTrue(message.contains(dir.resolve(LABELS) + " is corrupt: it has data beyond"), message);
    }

    @Test
    void wrongSizesAreReported() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(IdxFile.IMAGES_MAGIC);
        out.writeInt(5);
        out.writeInt(28);
        out.writeInt(28);
        out.write(new byte[5 * 784]);
        Files.write(dir.resolve(IMAGES), bytes.toByteArray());
        Files.write(dir.resolve(LABELS), gunzip(LABELS));
        String message = loadFails(dir);
        assertTrue(message.contains("has sizes [5, 28, 28], but t10k-images-idx3-ubyte of Fashion-MNIST has "
                + "[10000, 28, 28]"), message);
    }

    private static byte[] gunzip(String name) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(DEBIAN.resolve(name + ".gz")))) {
            return in.readAllBytes();
        }
    }
}
