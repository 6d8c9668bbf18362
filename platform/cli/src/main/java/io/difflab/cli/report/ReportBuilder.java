package io.difflab.cli.report;

import io.difflab.api.tracking.RunStatus;
import io.difflab.tracking.catalog.RunCatalog;
import io.difflab.tracking.catalog.RunSummary;
import io.difflab.tracking.store.MetricPoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes a report into a folder: {@code grids/} (each run's {@code samples.png}), {@code plots/}
 * (JFreeChart PNGs), {@code README.md}, {@code index.html} (the same page, images embedded),
 * {@code results.csv} and {@code cost.csv} (the tables' values in full precision).
 */
public final class ReportBuilder {

    /** The artifact every run logs: its grid of samples. */
    static final String GRID_ARTIFACT = "samples.png";

    private final RunCatalog catalog;
    private final Selection selection;
    private final String command;
    private final boolean costOnly;

    /**
     * @param command  the command line that produced the report, shown on the page
     * @param costOnly only the cost section (Table 3): no results table, grids or plots
     */
    public ReportBuilder(RunCatalog catalog, Selection selection, String command, boolean costOnly) {
        this.catalog = catalog;
        this.selection = selection;
        this.command = command;
        this.costOnly = costOnly;
    }

    /** Writes the report into the (empty) folder {@code dir}; the runs must include finished ones. */
    public void build(Path dir) throws IOException {
        Charts.headless();
        List<RunSummary> finished = selection.runs().stream().filter(r -> r.status() == RunStatus.FINISHED).toList();
        List<RunSummary> others = selection.runs().stream().filter(r -> r.status() != RunStatus.FINISHED).toList();
        Page page = new Page().heading(1, (costOnly ? "Cost: " : "Report: ") + selection.name());
        page.text("Compares " + selection.description() + ". Produced by:");
        page.code(command);
        SweepFacts.describe(page, selection.parent());
        page.bullets(RunFacts.lines(finished, others));
        List<RunSummary> trainers = TrainedModels.withTrainers(finished, catalog);
        if (!costOnly) {
            List<String> swept = Aggregation.sweptKeys(finished, axes(selection.parent()));
            List<Configuration> configurations = Aggregation.group(finished, swept);
            writeCsv(dir.resolve("results.csv"), ResultsSection.write(page, configurations, swept, MetricColumns.of(finished)));
            List<List<String>> faithfulness = FaithfulnessSection.write(page, configurations, swept);
            if (faithfulness != null) {
                writeCsv(dir.resolve("faithfulness.csv"), faithfulness);
            }
            grids(page, dir, configurations, swept);
            plots(page, dir, configurations, swept, finished, trainers);
        }
        writeCsv(dir.resolve("cost.csv"), CostSection.write(page, finished, trainers));
        Files.writeString(dir.resolve("README.md"), MarkdownRenderer.render(page), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("index.html"), HtmlRenderer.render(page, selection.name(), dir), StandardCharsets.UTF_8);
    }

    private void grids(Page page, Path dir, List<Configuration> configurations, List<String> swept) throws IOException {
        Path grids = Files.createDirectories(dir.resolve("grids"));
        List<Page.Figure> figures = new ArrayList<>();
        Set<String> used = new HashSet<>();
        boolean shrunk = false;
        for (Configuration c : configurations) {
            for (RunSummary r : c.runs()) {
                String file = FileNames.unique(FileNames.slug(r.runName()), used) + ".png";
                if (catalog.downloadArtifact(r.runId(), GRID_ARTIFACT, grids.resolve(file))) {
                    shrunk |= GridImages.shrink(grids.resolve(file));
                    figures.add(new Page.Figure("grids/" + file, c.label(swept) + ", seed "
                            + r.params().getOrDefault(Aggregation.SEED, "?")));
                }
            }
        }
        page.heading(2, "Samples");
        if (figures.isEmpty()) {
            page.text("No run logged a `" + GRID_ARTIFACT + "` artifact.");
        } else {
            page.text("Each run's grid of samples (its `" + GRID_ARTIFACT + "` artifact), side by side; with class "
                    + "labels, sample i is drawn for class i mod the number of classes."
                    + (shrunk ? " Grids wider than " + GridImages.MAX_WIDTH + " pixels are shown scaled down to that "
                    + "width (the run's artifact keeps every pixel)." : ""));
            page.figures(figures);
        }
    }

    private void plots(Page page, Path dir, List<Configuration> configurations, List<String> swept,
                       List<RunSummary> finished, List<RunSummary> trainers) throws IOException {
        Path plots = Files.createDirectories(dir.resolve("plots"));
        List<Page.Figure> figures = new ArrayList<>();
        for (MetricColumns.Column column : MetricColumns.of(finished)) {
            if (!column.key().startsWith("eval.") || column.key().equals("eval.fd.floor")) {
                // the sampling cost does not depend on the scale (it is in the cost table), nor does FD's
                // floor (real images against the test split: one value per evaluator and sample count)
                continue;
            }
            String file = "plots/" + FileNames.slug(column.key()) + "-vs-guidance-scale.png";
            if (GuidanceScaleChart.write(configurations, swept, column.key(), dir.resolve(file))) {
                figures.add(new Page.Figure(file, column.heading() + " against guidance scale"));
            }
        }
        if (NfeChart.write(configurations, swept, plots.resolve("fd-vs-nfe.png"))) {
            figures.add(new Page.Figure("plots/fd-vs-nfe.png", "FD against NFE, one line per sampler"));
        }
        Map<String, List<MetricPoint>> curves = new LinkedHashMap<>();
        for (TrainedModels.Model m : TrainedModels.of(trainers)) {
            curves.put(m.label(), catalog.history(m.run().runId(), "train.loss"));
            for (String aux : TrainedModels.auxiliaryNetworks(m.run())) {
                curves.put(m.label() + " · " + aux, catalog.history(m.run().runId(), aux + ".train.loss"));
            }
        }
        if (LossChart.write(curves, plots.resolve("training-loss.png"))) {
            figures.add(new Page.Figure("plots/training-loss.png", "Training loss, one line per trained network"));
        }
        page.heading(2, "Plots");
        if (figures.isEmpty()) {
            page.text("Nothing to plot: fewer than two guidance scales or NFE values, and no training loss.");
        }
        for (Page.Figure f : figures) {
            page.figures(List.of(f));
        }
        if (configurations.stream().anyMatch(c -> c.runs().size() > 1)) {
            page.text("Error bars: ± one sample standard deviation over seeds.");
        }
    }

    /** The sweep's axes in its file's order, from the parent run's tag (none when named directly). */
    private static List<String> axes(RunSummary parent) {
        String axes = parent == null ? null : parent.tags().get(Aggregation.AXES_TAG);
        return axes == null || axes.isBlank() ? List.of() : List.of(axes.split("\\s*,\\s*"));
    }

    private static void writeCsv(Path file, List<List<String>> rows) throws IOException {
        StringBuilder csv = new StringBuilder();
        for (List<String> row : rows) {
            csv.append(row.stream().map(ReportBuilder::csvCell).collect(Collectors.joining(","))).append('\n');
        }
        Files.writeString(file, csv, StandardCharsets.UTF_8);
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** The UTC time a run started, for the page. */
    static String instant(long millis) {
        return Instant.ofEpochMilli(millis).toString().replaceFirst(":\\d\\d(\\.\\d+)?Z$", "Z");
    }
}
