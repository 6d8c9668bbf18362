package io.difflab.cli.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small multiples: one or more panels on shared axes (the same x and y range in every panel), each
 * series in the same distinct colour wherever it appears, and one legend below the panels laid out
 * in rows so that no two entries overlap (reference lines are dashed there as in the panels). One
 * panel fills {@link Charts#WIDTH} × {@link Charts#HEIGHT}; several are {@value #PANEL_WIDTH} ×
 * {@value #PANEL_HEIGHT} each, up to three in a row.
 */
final class PanelChart {

    static final int PANEL_WIDTH = 420;
    static final int PANEL_HEIGHT = 300;
    private static final int TITLE_HEIGHT = 34;
    private static final int LEGEND_ROW = 22;
    private static final int LEGEND_SAMPLE = 26;
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font PANEL_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 12);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Stroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
            new float[] {6f, 4f}, 0f);

    /** One point: the mean of a metric and its standard deviation over seeds. */
    record Point(double x, double mean, double std) { }

    /**
     * A line of a panel; a reference is a value without an x (e.g. unguided sampling against the
     * guidance scale), drawn as a dashed horizontal line across the panel.
     */
    record Series(String name, List<Point> points, boolean reference) { }

    /** A panel: its title (empty for a single panel) and its series. */
    record Panel(String title, List<Series> series) { }

    /** The axes every panel shares; a log axis is asked for, and drawn when the values span a decade. */
    record Axes(String x, boolean logX, String y, boolean logY) { }

    private PanelChart() {
    }

    /** Draws the panels into {@code png}. */
    static void write(String title, Axes axes, List<Panel> panels, Path png) {
        Map<String, Integer> colours = new LinkedHashMap<>();
        Map<String, Boolean> dashed = new LinkedHashMap<>();
        for (Panel p : panels) {
            for (Series s : p.series()) {
                colours.putIfAbsent(s.name(), colours.size());
                dashed.putIfAbsent(s.name(), s.reference());
            }
        }
        boolean logX = axes.logX() && spansDecade(range(panels, true, true));
        boolean logY = axes.logY() && spansDecade(range(panels, false, true));
        double[] xRange = range(panels, true, logX);
        double[] yRange = range(panels, false, logY);
        Axes drawn = new Axes(axes.x(), logX, axes.y(), logY);
        boolean single = panels.size() == 1;
        int columns = single ? 1 : panels.size() == 4 ? 2 : Math.min(3, panels.size());
        int rows = (panels.size() + columns - 1) / columns;
        int width = single ? Charts.WIDTH : columns * PANEL_WIDTH;
        BufferedImage measure = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        FontMetrics metrics = measure.createGraphics().getFontMetrics(LEGEND_FONT);
        List<Rectangle> legend = legendLayout(new ArrayList<>(colours.keySet()), metrics, width - 20);
        int legendHeight = legend.isEmpty() ? 0 : legend.get(legend.size() - 1).y + LEGEND_ROW + 8;
        int panelHeight = single ? Charts.HEIGHT - TITLE_HEIGHT - legendHeight : PANEL_HEIGHT;
        int height = single ? Charts.HEIGHT : TITLE_HEIGHT + rows * PANEL_HEIGHT + legendHeight;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(TITLE_FONT);
        g.drawString(title, (width - g.getFontMetrics().stringWidth(title)) / 2, 24);
        for (int i = 0; i < panels.size(); i++) {
            int x = (i % columns) * (single ? width : PANEL_WIDTH);
            int y = TITLE_HEIGHT + (i / columns) * panelHeight;
            JFreeChart chart = panel(panels.get(i), drawn, xRange, yRange, colours);
            chart.draw(g, new Rectangle2D.Double(x, y, single ? width : PANEL_WIDTH, panelHeight));
        }
        int legendTop = TITLE_HEIGHT + rows * panelHeight;
        g.setFont(LEGEND_FONT);
        List<String> names = new ArrayList<>(colours.keySet());
        for (int i = 0; i < legend.size(); i++) {
            Rectangle r = legend.get(i);
            int baseline = legendTop + r.y + metrics.getAscent();
            int lineY = legendTop + r.y + LEGEND_ROW / 2 - 2;
            g.setColor(Charts.color(colours.get(names.get(i))));
            g.setStroke(dashed.get(names.get(i)) ? DASHED : new BasicStroke(2f));
            g.drawLine(10 + r.x, lineY, 10 + r.x + LEGEND_SAMPLE - 4, lineY);
            g.setColor(Color.DARK_GRAY);
            g.drawString(names.get(i), 10 + r.x + LEGEND_SAMPLE, baseline);
        }
        g.dispose();
        try {
            ImageIO.write(image, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }

    /**
     * Where each legend entry goes, relative to the legend's top left: entries left to right,
     * wrapped into rows of at most {@code width} pixels, so that none overlaps another.
     */
    static List<Rectangle> legendLayout(List<String> names, FontMetrics metrics, int width) {
        List<Rectangle> boxes = new ArrayList<>();
        int x = 0;
        int y = 4;
        for (String name : names) {
            int w = LEGEND_SAMPLE + metrics.stringWidth(name) + 18;
            if (x > 0 && x + w > width) {
                x = 0;
                y += LEGEND_ROW;
            }
            boxes.add(new Rectangle(x, y, w, LEGEND_ROW));
            x += w;
        }
        return boxes;
    }

    private static JFreeChart panel(Panel panel, Axes axes, double[] xRange, double[] yRange,
                                    Map<String, Integer> colours) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        List<Series> drawn = new ArrayList<>();
        for (Series s : panel.series()) {
            YIntervalSeries series = new YIntervalSeries(s.name(), false, true);
            if (s.reference()) {
                Point p = s.points().get(0);
                series.add(xRange[0], p.mean(), p.mean(), p.mean());
                series.add(xRange[1], p.mean(), p.mean(), p.mean());
            } else {
                s.points().forEach(p -> series.add(p.x(), p.mean(), p.mean() - p.std(), p.mean() + p.std()));
            }
            data.addSeries(series);
            drawn.add(s);
        }
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDrawYError(true);
        renderer.setDefaultLinesVisible(true);
        renderer.setCapLength(5);
        for (int i = 0; i < drawn.size(); i++) {
            Series s = drawn.get(i);
            renderer.setSeriesPaint(i, Charts.color(colours.get(s.name())));
            renderer.setSeriesStroke(i, s.reference() ? DASHED : new BasicStroke(2f));
            renderer.setSeriesShapesVisible(i, !s.reference());
        }
        XYPlot plot = new XYPlot(data, axis(axes.x(), axes.logX(), xRange), axis(axes.y(), axes.logY(), yRange), renderer);
        Charts.style(plot);
        JFreeChart chart = new JFreeChart(null, PANEL_FONT, plot, false);
        if (!panel.title().isEmpty()) {
            chart.setTitle(new TextTitle(panel.title(), PANEL_FONT));
        }
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Whether a range spans at least a decade (within one, a log axis has no labels: draw it linear). */
    private static boolean spansDecade(double[] range) {
        return range[0] > 0 && range[1] / range[0] >= 10 * 1.25 * 1.25;
    }

    private static ValueAxis axis(String label, boolean log, double[] range) {
        ValueAxis axis;
        if (log) {
            label += " (log scale)";
            // plain numbers at 1-2-5 ticks (10, 20, 50, 100, ...), not 10^x
            LogarithmicAxis a = new LogarithmicAxis(label);
            a.setStrictValuesFlag(false);
            a.setExpTickLabelsFlag(false);
            a.setLog10TickLabelsFlag(false);
            a.setAutoRangeNextLogFlag(false);
            axis = a;
        } else {
            NumberAxis a = new NumberAxis(label);
            a.setAutoRangeIncludesZero(false);
            axis = a;
        }
        axis.setRange(range[0], range[1]);
        return axis;
    }

    /** The range of x (the points' x, not references') or y (mean ± std) over every panel, with a margin. */
    static double[] range(List<Panel> panels, boolean x, boolean log) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Panel p : panels) {
            for (Series s : p.series()) {
                if (x && s.reference()) {
                    continue;
                }
                for (Point pt : s.points()) {
                    double[] values = x ? new double[] {pt.x()} : new double[] {pt.mean() - pt.std(), pt.mean() + pt.std()};
                    for (double v : values) {
                        if (Double.isFinite(v) && (!log || v > 0)) {
                            lo = Math.min(lo, v);
                            hi = Math.max(hi, v);
                        }
                    }
                }
            }
        }
        if (!Double.isFinite(lo)) {
            return new double[] {log ? 1 : 0, log ? 10 : 1};
        }
        if (log) {
            return new double[] {lo / 1.25, hi * 1.25};
        }
        double margin = Math.max((hi - lo) * 0.06, Math.max(Math.abs(hi), 1e-9) * 0.01);
        return new double[] {lo - margin, hi + margin};
    }
}
