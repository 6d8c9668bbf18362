package io.difflab.cli.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * FD against NFE (estimator calls per sample, the run's {@code sample.nfe}: the sampler's denoiser
 * calls times the guidance head's calls per call) on log-log axes, one line per sampler, mean ± std
 * over seeds as error bars. Other swept params (model, method, scale) get a panel each when the
 * lines would be more than {@value SeriesSplit#MAX_LINES}, on shared axes.
 */
final class NfeChart {

    static final String FD = "eval.fd";
    static final String NFE = "sample.nfe";
    static final String SAMPLER = "sampler.name";

    private NfeChart() {
    }

    /** Draws the plot; false (nothing written) when FD was logged at fewer than two NFE values. */
    static boolean write(List<Configuration> configurations, List<String> swept, Path png) {
        List<PanelChart.Panel> panels = panels(configurations, swept);
        if (panels != null) {
            PanelChart.write("FD against NFE", new PanelChart.Axes("NFE (estimator calls per sample)", true,
                    MetricColumns.heading(FD), true), panels, png);
        }
        return panels != null;
    }

    /** What the plot draws: per panel, a series of (NFE, FD mean, std) per line; null when FD was logged at fewer than two NFE values. */
    static List<PanelChart.Panel> panels(List<Configuration> configurations, List<String> swept) {
        List<String> keys = new ArrayList<>(swept);
        keys.remove("sampler.steps");
        if (!keys.contains(SAMPLER)) {
            keys.add(0, SAMPLER);
        }
        List<Configuration> logged = new ArrayList<>();
        TreeSet<Double> nfes = new TreeSet<>();
        for (Configuration c : configurations) {
            Stats fd = c.stats(FD);
            Stats nfe = c.stats(NFE);
            if (fd.n() > 0 && nfe.n() > 0 && !Double.isNaN(fd.mean())) {
                logged.add(c);
                nfes.add(nfe.mean());
            }
        }
        if (nfes.size() < 2) {
            return null;
        }
        SeriesSplit split = SeriesSplit.of(keys, SAMPLER, logged);
        Map<String, Map<String, List<PanelChart.Point>>> panels = new LinkedHashMap<>();
        for (Configuration c : logged) {
            Stats fd = c.stats(FD);
            panels.computeIfAbsent(split.panel(c), k -> new LinkedHashMap<>())
                    .computeIfAbsent(split.line(c), k -> new ArrayList<>())
                    .add(new PanelChart.Point(c.stats(NFE).mean(), fd.mean(), fd.std()));
        }
        List<PanelChart.Panel> drawn = new ArrayList<>();
        panels.forEach((title, lines) -> {
            List<PanelChart.Series> series = new ArrayList<>();
            lines.forEach((name, points) -> series.add(new PanelChart.Series(name, GuidanceScaleChart.sorted(points),
                    false)));
            drawn.add(new PanelChart.Panel(title, series));
        });
        return drawn;
    }
}
