package io.difflab.cli.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * Renders a {@link Page} as one self-contained HTML file: every image is embedded as a
 * {@code data:image/png;base64} URI read from the report folder, so the file travels alone.
 */
public final class HtmlRenderer {

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
            table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}
            th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
            pre{background:#f6f8fa;padding:.8em;overflow-x:auto}code{background:#f6f8fa;padding:0 .2em}
            .figures{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}figcaption{font-size:.9em;text-align:center}
            img{max-width:100%}""";

    private HtmlRenderer() {
    }

    /** @param folder where the page's image paths are resolved */
    public static String render(Page page, String title, Path folder) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(STYLE).append("\n</style>\n</head>\n<body>\n");
        for (Page.Block block : page.blocks()) {
            if (block instanceof Page.Heading h) {
                html.append("<h").append(h.level()).append('>').append(inline(h.text()))
                        .append("</h").append(h.level()).append(">\n");
            } else if (block instanceof Page.Text t) {
                text(html, t);
            } else if (block instanceof Page.Table t) {
                table(html, t.header(), t.rows());
            } else if (block instanceof Page.Figures f) {
                html.append("<div class=\"figures\">\n");
                for (Page.Figure fig : f.figures()) {
                    html.append("<figure><img alt=\"").append(escape(fig.caption())).append("\" src=\"")
                            .append(dataUri(folder.resolve(fig.path()))).append("\"><figcaption>")
                            .append(inline(fig.caption())).append("</figcaption></figure>\n");
                }
                html.append("</div>\n");
            } else if (block instanceof Page.Code c) {
                html.append("<pre><code>").append(escape(c.text())).append("</code></pre>\n");
            }
        }
        return html.append("</body>\n</html>\n").toString();
    }

    /** The PNG file as a data URI. */
    static String dataUri(Path png) {
        try {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot embed " + png, e);
        }
    }

    private static void text(StringBuilder html, Page.Text t) {
        if (t.bullets()) {
            html.append("<ul>\n");
            t.lines().forEach(l -> html.append("<li>").append(inline(l)).append("</li>\n"));
            html.append("</ul>\n");
        } else {
            html.append("<p>").append(inline(String.join(" ", t.lines()))).append("</p>\n");
        }
    }

    private static void table(StringBuilder html, List<String> header, List<List<String>> rows) {
        html.append("<table>\n<thead><tr>");
        header.forEach(h -> html.append("<th>").append(inline(h)).append("</th>"));
        html.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            row.forEach(c -> html.append("<td>").append(inline(c)).append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    /** Escapes the text and turns {@code `code`} spans into {@code <code>} elements (an unpaired backtick stays). */
    static String inline(String text) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int open = text.indexOf('`', at);
            int close = open < 0 ? -1 : text.indexOf('`', open + 1);
            if (close < 0) {
                return out.append(escape(text.substring(at))).toString();
            }
            out.append(escape(text.substring(at, open))).append("<code>")
                    .append(escape(text.substring(open + 1, close))).append("</code>");
            at = close + 1;
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
