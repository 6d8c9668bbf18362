package io.difflab.datasets.imagefolder;

import io.difflab.api.UserError;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** The image files of a folder, named by their path relative to it with {@code /} separators. */
final class ImageFiles {

    private ImageFiles() {
    }

    /**
     * The folder a spec names ({@code ~/} expanded, relative to the working directory otherwise).
     *
     * @throws UserError when it does not exist or is not a folder
     */
    static Path folder(String option) {
        String expanded = option.equals("~") || option.startsWith("~/")
                ? System.getProperty("user.home") + option.substring(1)
                : option;
        Path folder = Path.of(expanded).toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new UserError("dataset.folder " + folder + (Files.exists(folder) ? " is not a folder"
                    : " does not exist") + "; set it to the folder holding your PNG or JPEG images");
        }
        return folder;
    }

    /** Whether a name has a PNG or JPEG extension (any case). */
    static boolean isImageName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg");
    }

    /** Every PNG or JPEG file under {@code folder}, in sorted order; hidden files and folders are skipped. */
    static List<String> scan(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> relativeName(folder, file))
                    .filter(name -> !isHidden(name) && isImageName(name))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new UserError("cannot list the images in " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file {@code name} (relative, {@code /}-separated) inside {@code folder}.
     *
     * @param where what named it, for the message (e.g. {@code labels.csv line 4})
     * @throws UserError when the name is absolute or leads out of the folder
     */
    static Path resolveInside(Path folder, String name, String where) {
        String portable = name.replace('\\', '/');
        boolean absolute = portable.startsWith("/") || portable.matches("^[A-Za-z]:.*") || Path.of(name).isAbsolute();
        boolean climbs = Stream.of(portable.split("/")).anyMatch(".."::equals);
        Path file = folder.resolve(portable).normalize();
        if (absolute || climbs || !file.startsWith(folder) || file.equals(folder)) {
            throw new UserError(where + " names " + name + ", which is not a file inside " + folder
                    + " (paths must be relative to the folder, without ..)");
        }
        return file;
    }

    /**
     * The relative name of the image a labels or metadata file lists, checked.
     *
     * @param where what named it, for the message (e.g. {@code metadata.jsonl line 4})
     * @param seen  the images listed so far; this one is added
     * @throws UserError when it lies outside the folder, is not a PNG or JPEG name, does not exist
     *                   or was listed before
     */
    static String listedImage(Path folder, String name, String where, Set<String> seen) {
        String image = name.trim();
        Path imageFile = resolveInside(folder, image, where);
        String relative = relativeName(folder, imageFile);
        if (!isImageName(relative)) {
            throw new UserError(where + " names " + image + ", which is not a .png, .jpg or .jpeg file");
        }
        if (!Files.isRegularFile(imageFile)) {
            throw new UserError(where + " names " + image + ", which does not exist in " + folder);
        }
        if (!seen.add(relative)) {
            throw new UserError(where + " names " + image + " a second time");
        }
        return relative;
    }

    static String relativeName(Path folder, Path file) {
        return folder.relativize(file).toString().replace(File.separatorChar, '/');
    }

    private static boolean isHidden(String name) {
        return Stream.of(name.split("/")).anyMatch(part -> part.startsWith("."));
    }
}
