package io.difflab.cli.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** What the report's JFreeChart plots share: size, colours, plot style, headless PNG output. */
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
