package io.difflab.cli.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One metric against the guidance scale s, one line per method (the other swept params), mean ±
 * std over seeds as error bars; configurations without a scale (guidance {@code none}) are dashed
 * reference lines, named in the legend. With more than {@value SeriesSplit#MAX_LINES} series the
 * plot becomes small multiples: lines per method (the first swept key), a panel per value of the
 * other keys (sampler × steps), all on the same axes.
 */
final class GuidanceScaleChart {

    static final String SCALE = "guidance.scale";

    private GuidanceScaleChart() {
    }

    /** Draws the plot; false (nothing written) when fewer than two scales logged the metric. */
    static boolean write(List<Configuration> configurations, List<String> swept, String metric, Path png) {
        List<PanelChart.Panel> panels = panels(configurations, swept, metric);
        if (panels != null) {
            PanelChart.write(MetricColumns.heading(metric) + " against guidance scale",
                    new PanelChart.Axes("guidance scale s", false, MetricColumns.heading(metric), false), panels, png);
        }
        return panels != null;
    }

    /**
     * What the plot draws: per panel, a series of (scale, mean, std) per method and a one-point reference
     * series per unguided configuration; null when fewer than two scales logged the metric.
     */
    static List<PanelChart.Panel> panels(List<Configuration> configurations, List<String> swept, String metric) {
        List<String> methodKeys = new ArrayList<>(swept);
        methodKeys.remove(SCALE);
        if (methodKeys.isEmpty()) {
            methodKeys.add("guidance.name");
        }
        List<Configuration> logged = new ArrayList<>();
        TreeSet<Double> scales = new TreeSet<>();
        for (Configuration c : configurations) {
            Stats s = c.stats(metric);
            if (s.n() > 0 && !Double.isNaN(s.mean())) {
                logged.add(c);
                if (!Double.isNaN(c.number(SCALE))) {
                    scales.add(c.number(SCALE));
                }
            }
        }
        if (scales.size() < 2) {
            return null;
        }
        SeriesSplit split = SeriesSplit.of(methodKeys, methodKeys.get(0), logged);
        Map<String, Map<String, List<PanelChart.Point>>> lines = new LinkedHashMap<>();
        Map<String, Map<String, PanelChart.Point>> references = new LinkedHashMap<>();
        for (Configuration c : logged) {
            Stats s = c.stats(metric);
            double scale = c.number(SCALE);
            PanelChart.Point point = new PanelChart.Point(scale, s.mean(), s.std());
            String panel = split.panel(c);
            if (Double.isNaN(scale)) {
                references.computeIfAbsent(panel, k -> new LinkedHashMap<>()).put(split.line(c) + " (no scale)", point);
            } else {
                lines.computeIfAbsent(panel, k -> new LinkedHashMap<>())
                        .computeIfAbsent(split.line(c), k -> new ArrayList<>()).add(point);
            }
        }
        List<PanelChart.Panel> panels = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<PanelChart.Point>>> p : lines.entrySet()) {
            List<PanelChart.Series> series = new ArrayList<>();
            p.getValue().forEach((name, points) -> series.add(new PanelChart.Series(name, sorted(points), false)));
            references.getOrDefault(p.getKey(), Map.of()).forEach((name, point) ->
                    series.add(new PanelChart.Series(name, List.of(point), true)));
            panels.add(new PanelChart.Panel(p.getKey(), series));
        }
        return panels;
    }

    static List<PanelChart.Point> sorted(List<PanelChart.Point> points) {
        List<PanelChart.Point> copy = new ArrayList<>(points);
        copy.sort((a, b) -> Double.compare(a.x(), b.x()));
        return copy;
    }
}
