package io.difflab.datasets.imagefolder;

import io.difflab.api.UserError;

import java.util.ArrayList;
import java.util.List;

/** Rows of a comma-separated file as RFC 4180 writes them: quoted fields may hold commas, quotes ("") and newlines. */
final class CsvRows {

    /** One row and the line it starts on (1-based). */
    record Row(int line, List<String> fields) { }

    private CsvRows() {
    }

    /**
     * Parses {@code text}; blank lines are skipped, a leading byte-order mark is ignored.
     *
     * @param source the file's name, for messages
     * @throws UserError on an unterminated quoted field or text after a closing quote
     */
    static List<Row> parse(String text, String source) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int rowLine = 1;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        boolean quoted = false;
        boolean fieldWasQuoted = false;
        while (i < text.length()) {
            char c = text.charAt(i++);
            if (quoted) {
                if (c == '"' && i < text.length() && text.charAt(i) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    line += c == '\n' ? 1 : 0;
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty() && !fieldWasQuoted) {
                quoted = true;
                fieldWasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldWasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i < text.length() && text.charAt(i) == '\n') {
                    i++;
                }
                endRow(rows, fields, field, rowLine);
                fieldWasQuoted = false;
                rowLine = ++line;
            } else if (fieldWasQuoted) {
                throw new UserError(source + " line " + line + ": text after a closing quote; "
                        + "write a quote inside a quoted field as \"\"");
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new UserError(source + " line " + rowLine + ": a quoted field is never closed");
        }
        endRow(rows, fields, field, rowLine);
        return rows;
    }

    private static void endRow(List<Row> rows, List<String> fields, StringBuilder field, int line) {
        fields.add(field.toString());
        field.setLength(0);
        boolean blank = fields.size() == 1 && fields.get(0).isBlank();
        if (!blank) {
            rows.add(new Row(line, List.copyOf(fields)));
        }
        fields.clear();
    }
}
