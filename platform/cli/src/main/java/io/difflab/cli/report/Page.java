package io.difflab.cli.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A report page as a list of blocks, rendered once as Markdown ({@link MarkdownRenderer}) and
 * once as a self-contained HTML page ({@link HtmlRenderer}). Text is Markdown-light: only
 * {@code `code`} spans are interpreted; image paths are relative to the report folder.
 */
public final class Page {

    /** A piece of the page. */
    public sealed interface Block permits Heading, Text, Table, Figures, Code { }

    /** A heading; level 1 is the title. */
    public record Heading(int level, String text) implements Block { }

    /** A paragraph (or, when {@code bullets}, a bulleted list of its lines). */
    public record Text(List<String> lines, boolean bullets) implements Block { }

    /** A table; every row has the header's length. */
    public record Table(List<String> header, List<List<String>> rows) implements Block { }

    /** Images shown side by side, each with its caption. */
    public record Figures(List<Figure> figures) implements Block { }

    /** One image: its path in the report folder and its caption. */
    public record Figure(String path, String caption) { }

    /** A preformatted block (a command line). */
    public record Code(String text) implements Block { }

    private final List<Block> blocks = new ArrayList<>();

    public Page heading(int level, String text) {
        blocks.add(new Heading(level, text));
        return this;
    }

    public Page text(String paragraph) {
        blocks.add(new Text(List.of(paragraph), false));
        return this;
    }

    public Page bullets(List<String> lines) {
        blocks.add(new Text(List.copyOf(lines), true));
        return this;
    }

    public Page table(List<String> header, List<List<String>> rows) {
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row " + row + " has " + row.size() + " cells for " + header.size() + " columns");
            }
        }
        blocks.add(new Table(List.copyOf(header), rows.stream().map(List::copyOf).toList()));
        return this;
    }

    public Page figures(List<Figure> figures) {
        blocks.add(new Figures(List.copyOf(figures)));
        return this;
    }

    public Page code(String text) {
        blocks.add(new Code(text));
        return this;
    }

    public List<Block> blocks() {
        return List.copyOf(blocks);
    }
}
