package io.difflab.cli.report;

import io.difflab.tracking.catalog.RunSummary;
import io.difflab.tracking.store.MetricPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.difflab.cli.report.AggregationTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plots are real PNG files of the agreed size, drawn headless, whose series and error bars are
 * the results table's values (read from the charts' datasets); nothing is drawn without data to draw.
 */
class ChartsTest {

    @TempDir
    Path dir;

    static {
        Charts.headless();
    }

    private static List<RunSummary> ablation() {
        List<RunSummary> runs = new ArrayList<>();
        for (String method : List.of("classifier", "classifier-free")) {
            for (String scale : List.of("1", "3", "5")) {
                for (int seed = 0; seed < 2; seed++) {
                    for (String steps : List.of("25", "50")) {
                        runs.add(run(method + scale + seed + steps, Map.of("guidance.name", method, "guidance.scale", scale,
                                "seed", Integer.toString(seed), "sampler.name", "ddim", "sampler.steps", steps),
                                Map.of("eval.fd", 10.0 + Double.parseDouble(scale) + seed, "sample.nfe",
                                        Double.parseDouble(steps) * (method.equals("classifier") ? 1 : 2)), Map.of()));
                    }
                }
            }
        }
        runs.add(run("none", Map.of("guidance.name", "none", "seed", "0", "sampler.name", "ddim", "sampler.steps", "25"),
                Map.of("eval.fd", 20.0, "sample.nfe", 25.0), Map.of()));
        return runs;
    }

    private static void assertPng(Path png) throws Exception {
        assertTrue(Files.size(png) > 1000, png + " has a real picture");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
    }

    @Test
    void metricAgainstGuidanceScaleAndFdAgainstNfe() throws Exception {
        List<RunSummary> runs = ablation();
        List<Configuration> configurations = Aggregation.group(runs);
        List<String> swept = Aggregation.sweptKeys(runs);
        assertTrue(GuidanceScaleChart.write(configurations, swept, "eval.fd", dir.resolve("fd-scale.png")));
        assertPng(dir.resolve("fd-scale.png"));
        assertTrue(NfeChart.write(configurations, swept, dir.resolve("fd-nfe.png")));
        // 2 samplers x (2 guidance heads x 3 scales + none) lines would be 7: a panel per head and scale
        assertEquals(3 * PanelChart.PANEL_WIDTH, ImageIO.read(dir.resolve("fd-nfe.png").toFile()).getWidth());
    }

    /** The guidance ablation's shape: 3 methods × 2 samplers × 3 step counts over 3 scales, unguided as references. */
    static List<RunSummary> bigAblation() {
        List<RunSummary> runs = new ArrayList<>();
        for (String sampler : List.of("ddim", "ancestral")) {
            for (String steps : List.of("10", "25", "50")) {
                Map<String, String> none = Map.of("sweep.method", "none", "sweep.sampler.name", sampler,
                        "sweep.sampler.steps", steps);
                runs.add(run("none" + sampler + steps, Map.of("guidance.name", "none", "seed", "0", "sampler.name", sampler,
                        "sampler.steps", steps), Map.of("eval.fd", 60.0, "sample.nfe", Double.parseDouble(steps)), none));
                for (String method : List.of("classifier", "classifier-free")) {
                    for (String scale : List.of("0", "1", "3")) {
                        double nfe = Double.parseDouble(steps) * (method.equals("classifier") ? 1 : 2);
                        runs.add(run(method + sampler + steps + scale, Map.of("guidance.name", method,
                                        "guidance.scale", scale, "seed", "0", "sampler.name", sampler, "sampler.steps", steps),
                                Map.of("eval.fd", 40.0 - Double.parseDouble(scale) + nfe / 100, "sample.nfe", nfe),
                                Map.of("sweep.method", method, "sweep.guidance.scale", scale, "sweep.sampler.name", sampler,
                                        "sweep.sampler.steps", steps)));
                    }
                }
            }
        }
        return runs;
    }

    /** More than six series: a panel per sampler × steps (lines per method), all of one size, a legend below. */
    @Test
    void manySeriesBecomeSmallMultiples() throws Exception {
        List<RunSummary> runs = bigAblation();
        List<String> swept = Aggregation.sweptKeys(runs, List.of("method", "guidance.scale", "sampler.name",
                "sampler.steps"));
        List<Configuration> configurations = Aggregation.group(runs, swept);
        SeriesSplit split = SeriesSplit.of(List.of("method", "sampler.name", "sampler.steps"), "method", configurations);
        assertEquals(List.of("method"), split.lineKeys());
        assertEquals(List.of("sampler.name", "sampler.steps"), split.panelKeys());
        assertTrue(GuidanceScaleChart.write(configurations, swept, "eval.fd", dir.resolve("panels.png")));
        keep("panels.png");
        BufferedImage image = ImageIO.read(dir.resolve("panels.png").toFile());
        assertEquals(3 * PanelChart.PANEL_WIDTH, image.getWidth(), "six panels, three in a row");
        assertTrue(image.getHeight() > 2 * PanelChart.PANEL_HEIGHT, "two rows of panels and a legend");
        assertTrue(NfeChart.write(configurations, swept, dir.resolve("nfe-panels.png")));
        assertTrue(ImageIO.read(dir.resolve("nfe-panels.png").toFile()).getWidth() >= 2 * PanelChart.PANEL_WIDTH,
                "FD against NFE: a panel per method and scale, a line per sampler");
        keep("nfe-panels.png");
    }

    /** With -Dcharts.keep=DIR the pictures are kept there to look at. */
    private void keep(String file) throws java.io.IOException {
        if (System.getProperty("charts.keep") != null) {
            Files.copy(dir.resolve(file), Path.of(System.getProperty("charts.keep"), file),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void legendEntriesNeverOverlapAndColoursAreDistinct() {
        java.awt.FontMetrics metrics = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics()
                .getFontMetrics(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            names.add("method=classifier-free guidance variant " + i + (i % 2 == 0 ? " (no scale)" : ""));
        }
        List<java.awt.Rectangle> boxes = PanelChart.legendLayout(names, metrics, 780);
        for (int i = 0; i < boxes.size(); i++) {
            assertTrue(boxes.get(i).x + boxes.get(i).width <= 780 || boxes.get(i).x == 0, "entry " + i + " fits its row");
            for (int j = i + 1; j < boxes.size(); j++) {
                assertFalse(boxes.get(i).intersects(boxes.get(j)), "entries " + i + " and " + j + " overlap");
            }
        }
        java.util.Set<java.awt.Color> colours = new java.util.HashSet<>();
        for (int i = 0; i < 10; i++) {
            colours.add(Charts.color(i));
        }
        assertEquals(10, colours.size(), "ten distinct colours before any repeats");
    }

    /** One plotted point: x, y and the error bar's ends. */
    private record Point(double x, double y, double low, double high) { }

    /** The points of each non-reference series of a plot's panels, as (x, mean, mean − std, mean + std). */
    private static List<List<Point>> drawn(List<PanelChart.Panel> panels) {
        List<List<Point>> series = new ArrayList<>();
        for (PanelChart.Panel panel : panels) {
            for (PanelChart.Series s : panel.series()) {
                if (!s.reference()) {
                    series.add(s.points().stream().map(p -> new Point(p.x(), p.mean(), p.mean() - p.std(),
                            p.mean() + p.std())).toList());
                }
            }
        }
        return series;
    }

    /**
     * The rows of results.csv (swept params, metric, mean, std, n, seeds) for {@code metric}, grouped
     * by the swept params other than {@code xKey}, each group as the points it should plot.
     */
    private static Map<List<String>, List<Point>> tableSeries(List<List<String>> csv, String metric,
                                                            java.util.function.Function<List<String>, Double> x,
                                                            String xKey) {
        List<String> header = csv.get(0);
        int metricColumn = header.indexOf("metric");
        Map<List<String>, List<Point>> groups = new LinkedHashMap<>();
        for (List<String> row : csv.subList(1, csv.size())) {
            if (!row.get(metricColumn).equals(metric)) {
                continue;
            }
            List<String> key = new ArrayList<>();
            for (int c = 0; c < metricColumn; c++) {
                if (!header.get(c).equals(xKey)) {
                    key.add(row.get(c));
                }
            }
            double mean = Double.parseDouble(row.get(metricColumn + 1));
            double std = Double.parseDouble(row.get(metricColumn + 2));
            Double xValue = x.apply(row);
            if (xValue != null) {
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new Point(xValue, mean, mean - std, mean + std));
            }
        }
        groups.values().forEach(points -> points.sort(java.util.Comparator.comparingDouble(Point::x)));
        return groups;
    }

    private static List<List<Point>> sortedByX(List<List<Point>> series) {
        List<List<Point>> out = new ArrayList<>();
        for (List<Point> s : series) {
            List<Point> copy = new ArrayList<>(s);
            copy.sort(java.util.Comparator.comparingDouble(Point::x));
            out.add(copy);
        }
        return out;
    }

    @Test
    void theScalePlotDrawsTheResultsTablesMeansAndStandardDeviations() {
        List<RunSummary> runs = ablation();
        List<String> swept = Aggregation.sweptKeys(runs);
        List<Configuration> configurations = Aggregation.group(runs);
        List<List<String>> csv = ResultsSection.write(new Page(), configurations, swept, MetricColumns.of(runs));
        int scaleColumn = csv.get(0).indexOf(GuidanceScaleChart.SCALE);
        Map<List<String>, List<Point>> expected = tableSeries(csv, "eval.fd",
                row -> row.get(scaleColumn).equals("-") ? null : Double.parseDouble(row.get(scaleColumn)),
                GuidanceScaleChart.SCALE);
        assertEquals(4, expected.size(), "two methods x two step counts: " + expected.keySet());
        assertTrue(expected.values().stream().flatMap(List::stream).allMatch(p -> p.high() - p.low() > 1),
                "two seeds differ: real error bars");

        List<PanelChart.Panel> panels = GuidanceScaleChart.panels(configurations, swept, "eval.fd");
        List<List<Point>> drawn = sortedByX(drawn(panels));
        assertEquals(expected.size(), drawn.size(), "one line per method");
        for (List<Point> line : expected.values()) {
            assertTrue(drawn.contains(line), "the table's " + line + " is drawn: " + drawn);
        }
        // the unguided configuration is a dashed reference line at its table mean
        int metricColumn = csv.get(0).indexOf("metric");
        double unguided = csv.stream().skip(1).filter(r -> r.get(scaleColumn).equals("-")
                && r.get(metricColumn).equals("eval.fd")).mapToDouble(r -> Double.parseDouble(r.get(metricColumn + 1)))
                .findFirst().orElseThrow();
        List<Double> references = panels.stream().flatMap(p -> p.series().stream()).filter(PanelChart.Series::reference)
                .map(r -> r.points().get(0).mean()).distinct().toList();
        assertEquals(List.of(unguided), references);
    }

    @Test
    void theNfePlotDrawsTheResultsTablesFdAtEachNfe() {
        List<RunSummary> runs = ablation();
        List<String> swept = Aggregation.sweptKeys(runs);
        List<Configuration> configurations = Aggregation.group(runs);
        List<List<String>> csv = ResultsSection.write(new Page(), configurations, swept, MetricColumns.of(runs));
        int metricColumn = csv.get(0).indexOf("metric");
        // the x of a row is the NFE the same configuration logged: the sample.nfe row with the same params
        Map<List<String>, Double> nfe = new LinkedHashMap<>();
        csv.stream().skip(1).filter(r -> r.get(metricColumn).equals("sample.nfe"))
                .forEach(r -> nfe.put(r.subList(0, metricColumn), Double.parseDouble(r.get(metricColumn + 1))));
        Map<List<String>, List<Point>> expected = tableSeries(csv, "eval.fd", row -> nfe.get(row.subList(0, metricColumn)),
                "sampler.steps");
        List<List<Point>> drawn = sortedByX(drawn(NfeChart.panels(configurations, swept)));
        assertEquals(expected.size(), drawn.size(), expected.keySet().toString());
        for (List<Point> line : expected.values()) {
            assertTrue(drawn.contains(line), "the table's " + line + " is drawn: " + drawn);
        }
    }

    @Test
    void trainingLossCurves() throws Exception {
        Map<String, List<MetricPoint>> curves = new LinkedHashMap<>();
        List<MetricPoint> a = new ArrayList<>();
        List<MetricPoint> b = new ArrayList<>();
        for (int step = 10; step <= 100; step += 10) {
            a.add(new MetricPoint(0, 1.0 / step, step));
            b.add(new MetricPoint(0, 2.0 / step, step));
        }
        curves.put("cfdg", a);
        curves.put("gd · classifier", b);
        assertTrue(LossChart.write(curves, dir.resolve("loss.png")));
        assertPng(dir.resolve("loss.png"));
        assertFalse(LossChart.write(Map.of("none", List.of()), dir.resolve("none.png")));
        assertFalse(Files.exists(dir.resolve("none.png")));
    }

    @Test
    void oneScaleOrOneNfeIsNoPlot() {
        List<RunSummary> runs = List.of(
                run("a", Map.of("guidance.scale", "3", "seed", "0"), Map.of("eval.fd", 1.0, "sample.nfe", 50.0), Map.of()),
                run("b", Map.of("guidance.scale", "3", "seed", "1"), Map.of("eval.fd", 2.0, "sample.nfe", 50.0), Map.of()));
        List<Configuration> c = Aggregation.group(runs);
        assertFalse(GuidanceScaleChart.write(c, Aggregation.sweptKeys(runs), "eval.fd", dir.resolve("x.png")));
        assertFalse(NfeChart.write(c, Aggregation.sweptKeys(runs), dir.resolve("y.png")));
        assertFalse(Files.exists(dir.resolve("x.png")));
    }
}
