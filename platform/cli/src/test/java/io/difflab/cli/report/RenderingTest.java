package io.difflab.cli.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One page, two renderings: Markdown with linked images, HTML with the same images embedded. */
class RenderingTest {

    @TempDir
    Path dir;

    private Page page() {
        return new Page().heading(1, "Report: ablation")
                .text("Compares `3` runs & <more>.")
                .code("./difflab report ablation")
                .bullets(List.of("Machine: 2 CPUs"))
                .table(List.of("scale", "FD ↓"), List.of(List.of("1", "14 ± 4"), List.of("3", "a|b")))
                .figures(List.of(new Page.Figure("grids/a.png", "scale=1, seed 0"),
                        new Page.Figure("plots/fd.png", "FD")));
    }

    @Test
    void markdownHasTheTableAndLinksTheImages() {
        String md = MarkdownRenderer.render(page());
        assertTrue(md.startsWith("# Report: ablation\n\n"), md);
        assertTrue(md.contains("| scale | FD ↓ |\n| --- | --- |\n| 1 | 14 ± 4 |\n| 3 | a\\|b |\n"), md);
        assertTrue(md.contains("| ![scale=1, seed 0](grids/a.png) | ![FD](plots/fd.png) |"), md);
        assertTrue(md.contains("```\n./difflab report ablation\n```"), md);
        assertTrue(md.contains("- Machine: 2 CPUs\n"), md);
    }

    @Test
    void htmlEmbedsEveryImageAsADataUriAndEscapesText() throws Exception {
        byte[] a = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        byte[] fd = {(byte) 0x89, 'P', 'N', 'G', 9, 9};
        Files.createDirectories(dir.resolve("grids"));
        Files.createDirectories(dir.resolve("plots"));
        Files.write(dir.resolve("grids/a.png"), a);
        Files.write(dir.resolve("plots/fd.png"), fd);
        String html = HtmlRenderer.render(page(), "ablation", dir);
        assertTrue(html.contains("src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(a) + "\""), html);
        assertTrue(html.contains("src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(fd) + "\""));
        assertFalse(html.contains("grids/a.png"), "no link to a file: the page travels alone");
        assertTrue(html.contains("<td>14 ± 4</td>"), html);
        assertTrue(html.contains("<p>Compares <code>3</code> runs &amp; &lt;more&gt;.</p>"), html);
        assertTrue(html.contains("<pre><code>./difflab report ablation</code></pre>"));
        assertEquals("a `b", HtmlRenderer.inline("a `b"), "an unpaired backtick stays");
    }
}
