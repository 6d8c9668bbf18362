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
        assertPng(dir.resolve("fd-nfe.png"));
    }

    /** One plotted point: x, y and the error bar's ends. */
    private record Point(double x, double y, double low, double high) { }

    /** The points of each series of a chart's interval dataset, in drawing order. */
    private static List<List<Point>> drawn(org.jfree.chart.JFreeChart chart) {
        var data = (org.jfree.data.xy.YIntervalSeriesCollection) chart.getXYPlot().getDataset();
        List<List<Point>> series = new ArrayList<>();
        for (int s = 0; s < data.getSeriesCount(); s++) {
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < data.getItemCount(s); i++) {
                points.add(new Point(data.getXValue(s, i), data.getYValue(s, i), data.getStartYValue(s, i),
                        data.getEndYValue(s, i)));
            }
            series.add(points);
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

        var chart = GuidanceScaleChart.chart(configurations, swept, "eval.fd");
        List<List<Point>> drawn = sortedByX(drawn(chart));
        assertEquals(expected.size(), drawn.size(), "one line per method");
        for (List<Point> line : expected.values()) {
            assertTrue(drawn.contains(line), "the table's " + line + " is drawn: " + drawn);
        }
        // the unguided configuration is a dashed reference line at its table mean
        int metricColumn = csv.get(0).indexOf("metric");
        double unguided = csv.stream().skip(1).filter(r -> r.get(scaleColumn).equals("-")
                && r.get(metricColumn).equals("eval.fd")).mapToDouble(r -> Double.parseDouble(r.get(metricColumn + 1)))
                .findFirst().orElseThrow();
        List<Double> markers = chart.getXYPlot().getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND).stream()
                .map(m -> ((org.jfree.chart.plot.ValueMarker) m).getValue()).toList();
        assertEquals(List.of(unguided), markers);
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
        List<List<Point>> drawn = sortedByX(drawn(NfeChart.chart(configurations, swept)));
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
