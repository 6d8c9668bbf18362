package io.difflab.datasets.fashionmnist;

import com.sun.net.httpserver.HttpServer;
import io.difflab.api.ImageDataset;
import io.difflab.api.Split;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Downloads over real HTTP from an in-process server that serves the Debian package's files
 * under the release's names (its gzip bytes differ from the originals, see FashionMnistRelease).
 */
class UpstreamDownloadTest {

    private static final String LABELS_GZ = "t10k-labels-idx1-ubyte.gz";

    @TempDir
    Path cache;
    private HttpServer server;
    private URI base;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fashion/", exchange -> {
            Path file = FashionMnistLocator.DEBIAN_FOLDER.resolve(Path.of(exchange.getRequestURI().getPath())
                    .getFileName().toString());
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aFileWhoseMd5IsNotThePublishedOneIsNotKept() throws IOException {
        UpstreamDownload download = new UpstreamDownload(List.of(base.resolve("fashion/")),
                FashionMnistRelease.GZIP_MD5);
        IOException error = assertThrows(IOException.class, () -> download.fetch(LABELS_GZ, cache));
        assertTrue(error.getMessage().contains("the published one is bb300cfdad3c16e7a12a480ee83cd310 (not kept)"),
                error.getMessage());
        assertEquals(List.of(), list(cache));
    }

    @Test
    void verifiedFilesLandInTheCacheAndLoad() throws IOException {
        Map<String, String> debianMd5 = Map.of(
                "t10k-images-idx3-ubyte.gz", md5(FashionMnistLocator.DEBIAN_FOLDER.resolve("t10k-images-idx3-ubyte.gz")),
                LABELS_GZ, md5(FashionMnistLocator.DEBIAN_FOLDER.resolve(LABELS_GZ)));
        // the first mirror answers 404, the second serves the files
        UpstreamDownload download = new UpstreamDownload(
                List.of(base.resolve("missing/"), base.resolve("fashion/")), debianMd5);
        FashionMnistLocator locator = new FashionMnistLocator(List.of(), cache, download);

        FashionMnistProvider provider = new FashionMnistProvider();
        ImageDataset test = FashionMnistProvider.load(locator, TestConfigs.config(provider, Map.of()), Split.TEST);

        assertEquals(10_000, test.size());
        assertEquals(List.of("t10k-images-idx3-ubyte.gz", LABELS_GZ), list(cache));
        assertEquals(debianMd5.get(LABELS_GZ), md5(cache.resolve(LABELS_GZ)));
    }

    @Test
    void eachMirrorsFailureIsReported() {
        UpstreamDownload download = new UpstreamDownload(
                List.of(base.resolve("missing/"), URI.create("http://127.0.0.1:1/")), FashionMnistRelease.GZIP_MD5);
        IOException error = assertThrows(IOException.class, () -> download.fetch(LABELS_GZ, cache));
        assertTrue(error.getMessage().contains(base.resolve("missing/") + LABELS_GZ + ": HTTP 404"), error.getMessage());
        assertTrue(error.getMessage().contains("http://127.0.0.1:1/" + LABELS_GZ + ": "), error.getMessage());
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String md5(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
