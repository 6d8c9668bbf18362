package io.difflab.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which swept keys a plot draws as lines and which as panels: every key as a line while that makes
 * at most {@value #MAX_LINES} series, else lines by the preferred key alone and a panel per value of
 * the others (small multiples: a panel per sampler × steps, or per method).
 *
 * @param lineKeys  the keys whose values name the lines
 * @param panelKeys the keys whose values name the panels (empty: one panel)
 */
record SeriesSplit(List<String> lineKeys, List<String> panelKeys) {

    /** More lines than this in one plot are hard to tell apart. */
    static final int MAX_LINES = 6;

    /**
     * @param keys      the swept keys that tell series apart (the x-axis key left out)
     * @param preferred the key to draw as lines when splitting (the first key when absent)
     * @param series    the labels of every series over all {@code keys}
     */
    static SeriesSplit of(List<String> keys, String preferred, List<Configuration> series) {
        Set<String> all = new LinkedHashSet<>();
        series.forEach(c -> all.add(c.label(keys)));
        if (all.size() <= MAX_LINES || keys.size() < 2) {
            return new SeriesSplit(List.copyOf(keys), List.of());
        }
        String line = keys.contains(preferred) ? preferred : keys.get(0);
        List<String> panels = new ArrayList<>(keys);
        panels.remove(line);
        return new SeriesSplit(List.of(line), List.copyOf(panels));
    }

    /** The line's name for a configuration. */
    String line(Configuration c) {
        return c.label(lineKeys);
    }

    /** The panel's title for a configuration ({@code ""} for a single panel). */
    String panel(Configuration c) {
        return panelKeys.isEmpty() ? "" : c.label(panelKeys);
    }
}
