package io.difflab.cli.report;

import io.difflab.tracking.SystemTags;
import io.difflab.tracking.catalog.RunSummary;

import java.util.List;

/** What the page says about the sweep behind a report, from its parent run's tags. */
final class SweepFacts {

    /** Tags a sweep's parent run may carry with the command that ran it, first found wins. */
    static final List<String> COMMAND_TAGS = List.of("difflab.sweep.command", "difflab.command");
    /** The parent's tag naming the sweep file ({@code difflab sweep} sets it). */
    static final String FILE_TAG = "difflab.sweep.file";

    private SweepFacts() {
    }

    static void describe(Page page, RunSummary parent) {
        if (parent == null) {
            return;
        }
        for (String tag : COMMAND_TAGS) {
            String command = parent.tags().get(tag);
            if (command != null && !command.isBlank()) {
                page.text("The sweep was run by:");
                page.code(command);
                return;
            }
        }
        String file = parent.tags().getOrDefault(FILE_TAG, parent.tags().get(SystemTags.SOURCE_NAME));
        if (file != null && !file.equals("difflab")) {
            page.text("The sweep was run by (from the sweep file its parent run records):");
            page.code("./difflab sweep " + file);
        }
        String cells = parent.tags().get("difflab.sweep.cells");
        String trainings = parent.tags().get("difflab.sweep.trainings");
        if (cells != null) {
            page.text("The sweep has " + cells + " cells" + (trainings == null ? "" : " sharing " + trainings
                    + " training" + ("1".equals(trainings) ? "" : "s")) + " (parent run tags).");
        }
    }
}
