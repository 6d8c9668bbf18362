package io.difflab.datasets.fashionmnist;

import io.difflab.api.Split;
import io.difflab.api.UserError;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds a split's IDX files: in the configured folder, the Debian package's folder and the user
 * cache, in that order; where none has them, downloads the release's files into the cache.
 */
final class FashionMnistLocator {

    /** Where Debian's {@code dataset-fashion-mnist} installs the files. */
    static final Path DEBIAN_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");
    static final String INSTALL_COMMAND = "sudo apt-get install dataset-fashion-mnist";

    /** The two files of one split. */
    record SplitFiles(Path images, Path labels) { }

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistLocator.class);

    private final List<Path> folders;
    private final Path cache;
    private final UpstreamDownload download;

    /**
     * Looks in {@code folders} then {@code cache}, which is also where {@code download} writes.
     */
    FashionMnistLocator(List<Path> folders, Path cache, UpstreamDownload download) {
        Set<Path> order = new LinkedHashSet<>();
        folders.forEach(f -> order.add(f.toAbsolutePath().normalize()));
        this.cache = cache.toAbsolutePath().normalize();
        order.add(this.cache);
        this.folders = List.copyOf(order);
        this.download = download;
    }

    /** The standard search: {@code folderOption} when not blank, the Debian folder, the user cache. */
    static FashionMnistLocator standard(String folderOption) {
        List<Path> folders = folderOption.isBlank()
                ? List.of(DEBIAN_FOLDER)
                : List.of(Path.of(expandHome(folderOption)), DEBIAN_FOLDER);
        return new FashionMnistLocator(folders, userCache(), UpstreamDownload.upstream());
    }

    /** {@code $XDG_CACHE_HOME/difflab/datasets/fashion-mnist}, by default under {@code ~/.cache}. */
    static Path userCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("difflab").resolve("datasets").resolve("fashion-mnist");
    }

    /** The folders looked in, in order. */
    List<Path> folders() {
        return folders;
    }

    /**
     * The files of {@code split}: from the first folder holding both, else downloaded into the cache.
     *
     * @throws UserError when no folder has them and they cannot be downloaded
     */
    SplitFiles locate(Split split) {
        String images = FashionMnistRelease.imagesFile(split);
        String labels = FashionMnistRelease.labelsFile(split);
        for (Path folder : folders) {
            Optional<Path> imagesFile = find(folder, images);
            Optional<Path> labelsFile = find(folder, labels);
            if (imagesFile.isPresent() && labelsFile.isPresent()) {
                LOG.info("Fashion-MNIST {} split: {} and {}", split.name().toLowerCase(), imagesFile.get(),
                        labelsFile.get());
                return new SplitFiles(imagesFile.get(), labelsFile.get());
            }
            LOG.debug("{} has no {}(.gz) and {}(.gz)", folder, images, labels);
        }
        try {
            return new SplitFiles(findOrDownload(images), findOrDownload(labels));
        } catch (IOException e) {
            throw new UserError(missingMessage(split, e.getMessage()), e);
        }
    }

    private Path findOrDownload(String name) throws IOException {
        Optional<Path> cached = find(cache, name);
        return cached.isPresent() ? cached.get() : download.fetch(name + ".gz", cache);
    }

    /** {@code name.gz} in {@code folder}, else the decompressed {@code name}. */
    private static Optional<Path> find(Path folder, String name) {
        for (Path candidate : List.of(folder.resolve(name + ".gz"), folder.resolve(name))) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private String missingMessage(Split split, String downloadFailure) {
        String looked = folders.stream().map(Path::toString).collect(Collectors.joining(", "));
        return "Fashion-MNIST (" + split.name().toLowerCase() + " split) was not found: looked for "
                + FashionMnistRelease.imagesFile(split) + ".gz and " + FashionMnistRelease.labelsFile(split)
                + ".gz in " + looked + ", and downloading them failed (" + downloadFailure + "). "
                + "Install them with `" + INSTALL_COMMAND + "`, or put the release's IDX files in a folder "
                + "and set dataset.folder to it.";
    }

    private static String expandHome(String folder) {
        return folder.equals("~") || folder.startsWith("~/")
                ? System.getProperty("user.home") + folder.substring(1)
                : folder;
    }
}
