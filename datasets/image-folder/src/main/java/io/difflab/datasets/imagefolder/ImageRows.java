package io.difflab.datasets.imagefolder;

import java.util.List;

/**
 * The items a folder's dataset holds, as one source lists them (a labels CSV, a
 * {@code metadata.jsonl}, image/.txt pairs, or the folder itself): an image with its label and
 * caption per row. An image appears in several rows when its source gives it several captions.
 *
 * @param rows      in the source's order
 * @param labeled   whether every row has a label
 * @param captioned whether every row has a caption
 * @param content   the bytes of the source's own files, for the dataset checksum (empty for the folder itself)
 */
record ImageRows(List<Row> rows, boolean labeled, boolean captioned, byte[] content) {

    /** One item: an image (relative name), its label and its caption ({@code null} where the source has none). */
    record Row(String file, String label, String caption) { }

    ImageRows {
        rows = List.copyOf(rows);
    }

    /** The distinct images, in the order they first appear. */
    List<String> files() {
        return rows.stream().map(Row::file).distinct().toList();
    }
}
