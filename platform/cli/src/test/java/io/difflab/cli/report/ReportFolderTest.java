package io.difflab.cli.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Publishing a staged report: what the report writes is replaced whole, everything else in the folder stays. */
class ReportFolderTest {

    @TempDir
    Path tmp;

    private Path stage(Path destination, String readme, String grid) throws Exception {
        Path staged = ReportFolder.temporary(destination);
        Files.writeString(staged.resolve("README.md"), readme);
        Files.createDirectories(staged.resolve("grids"));
        Files.writeString(staged.resolve("grids").resolve(grid), grid);
        return staged;
    }

    @Test
    void publishingReplacesTheReportsEntriesAndKeepsTheRest() throws Exception {
        Path out = tmp.resolve("reports/gd");
        Files.createDirectories(out);
        Files.writeString(out.resolve("sweep.sh"), "kept");
        assertEquals(List.of("README.md", "grids"), ReportFolder.publish(stage(out, "first", "a.png"), out));
        ReportFolder.publish(stage(out, "second", "b.png"), out);
        assertEquals("second", Files.readString(out.resolve("README.md")));
        assertTrue(Files.exists(out.resolve("grids/b.png")));
        assertFalse(Files.exists(out.resolve("grids/a.png")), "grids/ is the new report's, whole");
        assertEquals("kept", Files.readString(out.resolve("sweep.sh")));
        try (Stream<Path> left = Files.list(tmp.resolve("reports"))) {
            List<Path> entries = left.toList();
            assertEquals(List.of(out), entries, "no staging or old folder left: " + entries);
        }
    }
}
