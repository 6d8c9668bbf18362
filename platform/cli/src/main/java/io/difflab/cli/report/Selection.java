package io.difflab.cli.report;

import io.difflab.tracking.catalog.RunSummary;

import java.util.List;

/**
 * What a report is about.
 *
 * @param name        the report's name (its folder under reports/)
 * @param description what was compared, in a sentence
 * @param parent      the sweep's parent run, or null when the runs were named directly
 * @param runs        the runs compared (a sweep's child runs), finished or not
 */
public record Selection(String name, String description, RunSummary parent, List<RunSummary> runs) { }
