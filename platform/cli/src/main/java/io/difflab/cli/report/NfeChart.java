package io.difflab.cli.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * FD against NFE (estimator calls per sample: sampler steps × calls per step, as the run's
 * {@code sample.nfe}), one line per sampler (and per value of the other swept params), mean ±
 * std over seeds as error bars.
 */
final class NfeChart {

    static final String FD = "eval.fd";
    static final String NFE = "sample.nfe";

    private NfeChart() {
    }

    /** Draws the plot; false (nothing written) when FD was logged at fewer than two NFE values. */
    static boolean write(List<Configuration> configurations, List<String> swept, Path png) {
        JFreeChart chart = chart(configurations, swept);
        if (chart != null) {
            Charts.save(chart, png);
        }
        return chart != null;
    }

    /** The plot: a {@link YIntervalSeriesCollection} of (NFE, FD mean, mean − std, mean + std) per line; null when none. */
    static JFreeChart chart(List<Configuration> configurations, List<String> swept) {
        List<String> lineKeys = new ArrayList<>(swept);
        lineKeys.remove("sampler.steps");
        if (!lineKeys.contains("sampler.name")) {
            lineKeys.add(0, "sampler.name");
        }
        Map<String, YIntervalSeries> lines = new LinkedHashMap<>();
        TreeSet<Double> nfes = new TreeSet<>();
        for (Configuration c : configurations) {
            Stats fd = c.stats(FD);
            Stats nfe = c.stats(NFE);
            if (fd.n() == 0 || nfe.n() == 0 || Double.isNaN(fd.mean())) {
                continue;
            }
            nfes.add(nfe.mean());
            lines.computeIfAbsent(c.label(lineKeys), YIntervalSeries::new)
                    .add(nfe.mean(), fd.mean(), fd.mean() - fd.std(), fd.mean() + fd.std());
        }
        if (nfes.size() < 2) {
            return null;
        }
        NumberAxis x = new NumberAxis("NFE (estimator calls per sample)");
        YIntervalSeriesCollection data = Charts.intervals(new ArrayList<>(lines.values()));
        XYPlot plot = new XYPlot(data, x, Charts.valueAxis(MetricColumns.heading(FD), data), Charts.errorBars(lines.size()));
        Charts.style(plot);
        return new JFreeChart("FD against NFE", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }
}
