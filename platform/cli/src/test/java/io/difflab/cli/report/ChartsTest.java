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

/** The plots are real PNG files of the agreed size, drawn headless; nothing is drawn without data to draw. */
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
