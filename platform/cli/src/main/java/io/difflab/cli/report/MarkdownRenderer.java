package io.difflab.cli.report;

import java.util.ArrayList;
import java.util.List;

/** Renders a {@link Page} as GitHub-flavoured Markdown: images link to files next to the page. */
public final class MarkdownRenderer {

    /** Figures per row of a side-by-side table. */
    static final int FIGURES_PER_ROW = 4;

    private MarkdownRenderer() {
    }

    public static String render(Page page) {
        StringBuilder md = new StringBuilder();
        for (Page.Block block : page.blocks()) {
            if (block instanceof Page.Heading h) {
                md.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            } else if (block instanceof Page.Text t) {
                for (String line : t.lines()) {
                    md.append(t.bullets() ? "- " : "").append(line).append('\n');
                }
                md.append('\n');
            } else if (block instanceof Page.Table t) {
                table(md, t.header(), t.rows());
            } else if (block instanceof Page.Figures f) {
                figures(md, f.figures());
            } else if (block instanceof Page.Code c) {
                md.append("```\n").append(c.text()).append("\n```\n\n");
            }
        }
        return md.toString().stripTrailing() + "\n";
    }

    private static void table(StringBuilder md, List<String> header, List<List<String>> rows) {
        row(md, header);
        List<String> rule = new ArrayList<>();
        header.forEach(h -> rule.add("---"));
        row(md, rule);
        rows.forEach(r -> row(md, r));
        md.append('\n');
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append('|');
        for (String c : cells) {
            md.append(' ').append(c.replace("|", "\\|").replace("\n", " ")).append(" |");
        }
        md.append('\n');
    }

    /** Side by side: a table whose header holds the captions and whose one row holds the images. */
    private static void figures(StringBuilder md, List<Page.Figure> figures) {
        for (int from = 0; from < figures.size(); from += FIGURES_PER_ROW) {
            List<Page.Figure> part = figures.subList(from, Math.min(figures.size(), from + FIGURES_PER_ROW));
            table(md, part.stream().map(Page.Figure::caption).toList(),
                    List.of(part.stream().map(f -> "![" + f.caption().replace("]", ")") + "](" + f.path() + ")").toList()));
        }
    }
}
