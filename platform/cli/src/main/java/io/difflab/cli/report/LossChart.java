package io.difflab.cli.report;

import io.difflab.tracking.store.MetricPoint;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Training loss against the training step, one line per distinct trained network. */
final class LossChart {

    private LossChart() {
    }

    /** Draws the curves (label → logged points); false (nothing written) when there are none. */
    static boolean write(Map<String, List<MetricPoint>> curves, Path png) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, List<MetricPoint>> curve : curves.entrySet()) {
            if (curve.getValue().isEmpty()) {
                continue;
            }
            XYSeries series = new XYSeries(curve.getKey(), true, true);
            curve.getValue().forEach(p -> series.add(p.step(), p.value()));
            data.addSeries(series);
        }
        if (data.getSeriesCount() == 0) {
            return false;
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, Charts.color(i));
            renderer.setSeriesStroke(i, new BasicStroke(1.5f));
            // a network logged once (fewer steps than log_every) is a point: show it
            renderer.setSeriesShapesVisible(i, data.getSeries(i).getItemCount() < 3);
        }
        NumberAxis y = new NumberAxis("loss (mean over each logging interval)");
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, new NumberAxis("training step"), y, renderer);
        Charts.style(plot);
        Charts.save(new JFreeChart("Training loss", JFreeChart.DEFAULT_TITLE_FONT, plot, true), png);
        return true;
    }
}
