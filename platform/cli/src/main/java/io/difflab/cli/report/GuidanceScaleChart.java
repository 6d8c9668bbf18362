package io.difflab.cli.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One metric against the guidance scale s, one line per method (the other swept params), mean ±
 * std over seeds as error bars. Configurations without a scale (guidance {@code none}) are drawn
 * as dashed horizontal reference lines.
 */
final class GuidanceScaleChart {

    static final String SCALE = "guidance.scale";

    private GuidanceScaleChart() {
    }

    /** Draws the plot; false (nothing written) when fewer than two scales logged the metric. */
    static boolean write(List<Configuration> configurations, List<String> swept, String metric, Path png) {
        JFreeChart chart = chart(configurations, swept, metric);
        if (chart != null) {
            Charts.save(chart, png);
        }
        return chart != null;
    }

    /**
     * The plot: a {@link YIntervalSeriesCollection} of (scale, mean, mean − std, mean + std) per method
     * and a range marker per unguided configuration; null when fewer than two scales logged the metric.
     */
    static JFreeChart chart(List<Configuration> configurations, List<String> swept, String metric) {
        List<String> methodKeys = new ArrayList<>(swept);
        methodKeys.remove(SCALE);
        Map<String, YIntervalSeries> lines = new LinkedHashMap<>();
        Map<String, Stats> baselines = new LinkedHashMap<>();
        TreeSet<Double> scales = new TreeSet<>();
        for (Configuration c : configurations) {
            Stats s = c.stats(metric);
            if (s.n() == 0 || Double.isNaN(s.mean())) {
                continue;
            }
            double scale = c.number(SCALE);
            String method = !methodKeys.isEmpty() ? c.label(methodKeys)
                    : c.has("guidance.name") ? c.param("guidance.name") : "runs";
            if (Double.isNaN(scale)) {
                baselines.put(method, s);
                continue;
            }
            scales.add(scale);
            lines.computeIfAbsent(method, YIntervalSeries::new).add(scale, s.mean(), s.mean() - s.std(), s.mean() + s.std());
        }
        if (scales.size() < 2) {
            return null;
        }
        NumberAxis x = new NumberAxis("guidance scale s");
        YIntervalSeriesCollection data = Charts.intervals(new ArrayList<>(lines.values()));
        XYPlot plot = new XYPlot(data, x, Charts.valueAxis(MetricColumns.heading(metric), data), Charts.errorBars(lines.size()));
        int i = lines.size();
        for (Map.Entry<String, Stats> b : baselines.entrySet()) {
            ValueMarker marker = new ValueMarker(b.getValue().mean(), Charts.color(i++),
                    new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
            marker.setLabel(b.getKey() + ": " + b.getValue().format());
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            marker.setLabelPaint(Color.DARK_GRAY);
            plot.addRangeMarker(marker);
        }
        if (!baselines.isEmpty()) { // the auto range knows the lines only: make room for the reference lines
            Range range = plot.getRangeAxis().getRange();
            double lo = range.getLowerBound();
            double hi = range.getUpperBound();
            for (Stats b : baselines.values()) {
                lo = Math.min(lo, b.mean());
                hi = Math.max(hi, b.mean());
            }
            double margin = 0.05 * (hi - lo);
            if (lo < range.getLowerBound() || hi > range.getUpperBound()) {
                plot.getRangeAxis().setRange(lo - margin, hi + margin);
            }
        }
        Charts.style(plot);
        return new JFreeChart(MetricColumns.heading(metric) + " against guidance scale", JFreeChart.DEFAULT_TITLE_FONT,
                plot, true);
    }
}
