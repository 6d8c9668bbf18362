package io.difflab.cli.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** What the report's JFreeChart plots share: size, colours, error-bar renderer, headless PNG output. */
final class Charts {

    /** Every plot is this many pixels wide and high. */
    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    /** Tableau's ten colours (matplotlib's default cycle), so plots read like the papers'. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };

    private Charts() {
    }

    /** JFreeChart draws through AWT: no display on build machines and servers. */
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    static Color color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** Lines through the means with vertical error bars of ± one std (drawn only where std > 0). */
    static XYErrorRenderer errorBars(int seriesCount) {
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDrawYError(true);
        renderer.setDefaultLinesVisible(true);
        renderer.setDefaultShapesVisible(true);
        renderer.setCapLength(6);
        for (int i = 0; i < seriesCount; i++) {
            renderer.setSeriesPaint(i, color(i));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        return renderer;
    }

    /** A dataset of series of (x, mean, mean − std, mean + std). */
    static YIntervalSeriesCollection intervals(List<YIntervalSeries> series) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        series.forEach(data::addSeries);
        return data;
    }

    /**
     * The value axis of a metric: not forced to include zero, and at least 2% of the values' size
     * tall, so that equal values draw a flat line instead of a scale of identical tick labels.
     */
    static NumberAxis valueAxis(String label, YIntervalSeriesCollection data) {
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        double size = 0;
        for (int s = 0; s < data.getSeriesCount(); s++) {
            for (int i = 0; i < data.getItemCount(s); i++) {
                size = Math.max(size, Math.abs(data.getYValue(s, i)));
            }
        }
        axis.setAutoRangeMinimumSize(Math.max(size * 0.02, 1e-9));
        return axis;
    }

    static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    }

    static void save(JFreeChart chart, Path png) {
        chart.setBackgroundPaint(Color.WHITE);
        try {
            ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }
}
