package io.difflab.datasets.imagefolder;

import io.difflab.api.UserError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The labels or captions of a folder's images: a CSV file inside the folder whose header row names
 * the columns {@code file} and {@code label}, {@code caption} or both. Every row names an existing
 * image inside the folder, once.
 *
 * @param file    the CSV file
 * @param bytes   its content, for the dataset checksum
 * @param entries one per row, in file order
 * @param labeled whether it has a {@code label} column
 * @param captioned whether it has a {@code caption} column
 */
record LabelsCsv(Path file, byte[] bytes, List<Entry> entries, boolean labeled, boolean captioned) {

    /** One row: an image (relative name) with its label and caption ({@code null} when the column is absent). */
    record Entry(String file, String label, String caption) { }

    /**
     * Reads {@code folder/name}.
     *
     * @throws UserError on a malformed file, a row naming a missing, non-image or outside file,
     *                   a duplicate row or an empty label
     */
    static LabelsCsv read(Path folder, String name) {
        Path file = ImageFiles.resolveInside(folder, name, "dataset.csv");
        TextFile content = TextFile.read(file);
        byte[] bytes = content.bytes();
        List<CsvRows.Row> rows = CsvRows.parse(content.content(), file.toString());
        if (rows.isEmpty()) {
            throw new UserError(file + " is empty; it needs a header row: file,label or file,caption");
        }
        List<String> header = rows.get(0).fields().stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        int fileColumn = header.indexOf("file");
        int labelColumn = header.indexOf("label");
        int captionColumn = header.indexOf("caption");
        boolean known = header.stream().allMatch(h -> h.equals("file") || h.equals("label") || h.equals("caption"));
        if (fileColumn < 0 || (labelColumn < 0 && captionColumn < 0) || !known
                || header.size() != new HashSet<>(header).size()) {
            throw new UserError(file + " line 1: the header row must name the columns file,label or file,caption "
                    + "(or file,label,caption); it is " + String.join(",", rows.get(0).fields()));
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (CsvRows.Row row : rows.subList(1, rows.size())) {
            String where = file.getFileName() + " line " + row.line();
            if (row.fields().size() != header.size()) {
                throw new UserError(where + " has " + row.fields().size() + " fields, the header has " + header.size());
            }
            String image = row.fields().get(fileColumn).trim();
            String relative = ImageFiles.listedImage(folder, image, where, seen);
            String label = labelColumn < 0 ? null : row.fields().get(labelColumn).trim();
            if (label != null && label.isEmpty()) {
                throw new UserError(where + " gives " + image + " an empty label");
            }
            String caption = captionColumn < 0 ? null : row.fields().get(captionColumn);
            entries.add(new Entry(relative, label, caption));
        }
        if (entries.isEmpty()) {
            throw new UserError(file + " lists no images (it has only its header row)");
        }
        return new LabelsCsv(file, bytes, List.copyOf(entries), labelColumn >= 0, captionColumn >= 0);
    }

    /** Its entries as the dataset's rows. */
    ImageRows rows() {
        return new ImageRows(entries.stream().map(e -> new ImageRows.Row(e.file(), e.label(), e.caption())).toList(),
                labeled, captioned, bytes);
    }
}
