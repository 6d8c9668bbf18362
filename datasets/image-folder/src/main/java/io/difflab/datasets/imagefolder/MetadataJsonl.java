package io.difflab.datasets.imagefolder;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.difflab.api.UserError;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The captions of a folder in the Hugging Face {@code imagefolder} layout: a {@code metadata.jsonl}
 * inside the folder, one JSON object per line, whose {@code file_name} names an image relative to
 * the folder and whose {@code text} is its caption; other keys are allowed and ignored. Every line
 * names an existing image once; either every line has a {@code text} or none does.
 */
final class MetadataJsonl {

    /** The file the layout names. */
    static final String DEFAULT = "metadata.jsonl";

    private static final int EXCERPT = 60;

    private MetadataJsonl() {
    }

    /**
     * Reads {@code folder/name}.
     *
     * @throws UserError naming the line and showing its start, for a line that is not a JSON
     *                   object, lacks a string {@code file_name}, has a {@code text} that is not a
     *                   string, names a missing, non-image or outside file or names one twice
     */
    static ImageRows read(Path folder, String name) {
        Path file = ImageFiles.resolveInside(folder, name, "dataset.metadata");
        TextFile text = TextFile.read(file);
        List<ImageRows.Row> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int withText = 0;
        int firstWithout = 0;
        String[] lines = text.content().split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = i == 0 && lines[0].startsWith("\uFEFF") ? lines[0].substring(1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            String where = file.getFileName() + " line " + (i + 1);
            JsonObject object = object(line, where);
            String image = string(object, "file_name", where, line);
            if (image == null) {
                throw new UserError(where + " has no \"file_name\", the image it describes: " + excerpt(line));
            }
            String caption = string(object, "text", where, line);
            if (caption != null) {
                withText++;
            } else if (firstWithout == 0) {
                firstWithout = i + 1;
            }
            rows.add(new ImageRows.Row(ImageFiles.listedImage(folder, image, where, seen), null, caption));
        }
        if (rows.isEmpty()) {
            throw new UserError(file + " lists no images: it needs one line per image, like "
                    + "{\"file_name\": \"0001.png\", \"text\": \"a red circle\"}");
        }
        if (withText > 0 && withText < rows.size()) {
            throw new UserError(file.getFileName() + " line " + firstWithout + " has no \"text\", while other lines "
                    + "have one: give every image its caption (\"\" for none)");
        }
        return new ImageRows(rows, false, withText > 0, text.bytes());
    }

    /** The line as a JSON object, parsed strictly (RFC 8259). */
    private static JsonObject object(String line, String where) {
        JsonElement element;
        try (JsonReader reader = new JsonReader(new StringReader(line))) {
            reader.setStrictness(Strictness.STRICT);
            element = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new UserError(where + " has more than one JSON value (one object per line): " + excerpt(line));
            }
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw new UserError(where + " is not valid JSON (" + reason(e) + "): " + excerpt(line), e);
        }
        if (!element.isJsonObject()) {
            throw new UserError(where + " is not a JSON object like {\"file_name\": ..., \"text\": ...}: "
                    + excerpt(line));
        }
        return element.getAsJsonObject();
    }

    /** The string under {@code key}, or null when absent; a UserError when it is there but not a string. */
    private static String string(JsonObject object, String key, String where, String line) {
        JsonElement value = object.get(key);
        if (value == null) {
            return null;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new UserError(where + ": \"" + key + "\" must be a string, got " + value + ": " + excerpt(line));
        }
        return value.getAsString();
    }

    /** The start of a line, for messages. */
    static String excerpt(String line) {
        String flat = line.strip();
        return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT) + "…";
    }

    private static String reason(Exception e) {
        Throwable cause = e.getCause() != null && e.getMessage() != null && e.getMessage().contains("Exception")
                ? e.getCause() : e;
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        int see = message.indexOf("\nSee ");
        String first = see < 0 ? message : message.substring(0, see);
        // the reader sees one line: "... at line 1 column 89 path $.text" says "at column 89"
        return first.replaceAll(" at line 1 column (\\d+)( path \\S*)?", " at column $1");
    }
}
