package io.difflab.plugins.cfdg.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The sweep's plot: FD (top) and cond-accuracy, precision and recall (bottom, in [0, 1]) against
 * the guidance scale s, drawn with JFreeChart.
 */
final class SweepChart {

    private static final Color RED = new Color(0xd6, 0x27, 0x28);
    private static final Color BLUE = new Color(0x1f, 0x77, 0xb4);
    private static final Color GREEN = new Color(0x2c, 0xa0, 0x2c);
    private static final Color ORANGE = new Color(0xff, 0x7f, 0x0e);

    private SweepChart() {
    }

    static void write(SweepResults results, Path png) {
        NumberAxis scaleAxis = new NumberAxis("guidance scale s  (s = 0 unconditional, s = 1 conditional)");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(scaleAxis);
        plot.add(subplot(results, "FD (lower is better)", false, new String[] {"eval.fd", "eval.fd.floor"},
                new String[] {"FD", "FD floor (train vs test)"}, new Color[] {RED, Color.GRAY}), 1);
        plot.add(subplot(results, "fraction", true, new String[] {"eval.cond_accuracy", "eval.precision", "eval.recall"},
                new String[] {"cond-accuracy", "precision", "recall"}, new Color[] {BLUE, GREEN, ORANGE}), 1);
        JFreeChart chart = new JFreeChart("Classifier-free guidance on Fashion-MNIST", JFreeChart.DEFAULT_TITLE_FONT,
                plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        try {
            ChartUtils.saveChartAsPNG(png.toFile(), chart, 800, 640);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static XYPlot subplot(SweepResults results, String label, boolean unitRange, String[] keys,
                                  String[] names, Color[] colors) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (int i = 0; i < keys.length; i++) {
            XYSeries series = new XYSeries(names[i]);
            for (SweepResults.Row row : results.rows()) {
                double v = row.get(keys[i]);
                if (!Double.isNaN(v)) {
                    series.add(row.scale(), v);
                }
            }
            data.addSeries(series);
        }
        NumberAxis axis = new NumberAxis(label);
        if (unitRange) {
            axis.setRange(0.0, 1.0);
        } else {
            axis.setAutoRangeIncludesZero(true);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < colors.length; i++) {
            renderer.setSeriesPaint(i, colors[i]);
        }
        XYPlot plot = new XYPlot(data, null, axis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }
}
