package io.difflab.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The caption-faithfulness table, when runs logged it: per configuration, how faithfully its samples
 * follow their captions as the scene evaluator reads them ({@code eval.scene.*}: count accuracy per
 * requested number, colour, shape, relation, exact match), how faithfully a CLIP reads captions
 * zero-shot ({@code eval.zero_shot.*}: the true caption among variants in one attribute), with the
 * CLIP score of samples and CLIP's retrieval R@1 beside them. A run of the real test images
 * ({@code model: test-images}) is the ceiling row; a chance row shows what guessing gets zero-shot.
 */
final class FaithfulnessSection {

    /** What a row measures: a metric prefix and how the page calls it. */
    private record Source(String prefix, String label) { }

    private static final List<Source> SOURCES = List.of(
            new Source("eval.scene.", "samples, scene evaluator"),
            new Source("eval.zero_shot.", "CLIP zero-shot"));

    /** The attribute columns: key suffix and heading. */
    private static final Map<String, String> ATTRIBUTES = new LinkedHashMap<>();

    static {
        for (int n = 1; n <= 4; n++) {
            ATTRIBUTES.put("count_acc." + n, "count " + n + " ↑");
        }
        ATTRIBUTES.put("colour_acc", "colour ↑");
        ATTRIBUTES.put("shape_acc", "shape ↑");
        ATTRIBUTES.put("relation_acc", "relation ↑");
        ATTRIBUTES.put("exact_match", "exact ↑");
    }

    /** The metrics of one run beside the attributes. */
    private static final Map<String, String> OTHERS = new LinkedHashMap<>();

    static {
        OTHERS.put("eval.clip_score", "CLIP score ↑");
        OTHERS.put("eval.retrieval.image_to_text_r1", "R@1 image→text ↑");
        OTHERS.put("eval.retrieval.text_to_image_r1", "R@1 text→image ↑");
    }

    /** Zero-shot chance: 1/4 per count, 1/6 colours, 1/4 shapes, 1/4 relations. */
    private static final Map<String, Double> CHANCE = Map.of("count_acc.1", 0.25, "count_acc.2", 0.25,
            "count_acc.3", 0.25, "count_acc.4", 0.25, "colour_acc", 1 / 6.0, "shape_acc", 0.25, "relation_acc", 0.25);

    private FaithfulnessSection() {
    }

    /** Whether {@code key} is shown in this section rather than the results table. */
    static boolean owns(String key) {
        return SOURCES.stream().anyMatch(s -> key.startsWith(s.prefix())) || OTHERS.containsKey(key)
                || key.equals("eval.retrieval.n");
    }

    /**
     * Adds the table to {@code page} when any run logged its metrics.
     *
     * @return its values in full precision for faithfulness.csv (long format), or null when there is no table
     */
    static List<List<String>> write(Page page, List<Configuration> configurations, List<String> swept) {
        boolean any = configurations.stream().flatMap(c -> c.runs().stream())
                .anyMatch(r -> r.finalMetrics().keySet().stream().anyMatch(FaithfulnessSection::owns));
        if (!any) {
            return null;
        }
        page.heading(2, "Caption faithfulness");
        page.text("How faithfully samples follow the captions they were asked for, as the scene evaluator reads "
                + "them (count accuracy per requested number, colour and shape of each requested object, relation, "
                + "exact match), and how faithfully a CLIP reads captions: zero-shot, it picks each test image's "
                + "caption among variants that change one phrase's number, colour or shape, or the relation. "
                + "The real test images (model test-images) are the ceiling; the chance row is what guessing "
                + "gets zero-shot. CLIP score: 100·max(cos, 0) of each sample and its caption (Hessel et al. 2021); "
                + "R@1: retrieval among the first test items. `faithfulness.csv` holds the values in full precision.");
        List<String> header = new ArrayList<>();
        header.add(swept.isEmpty() ? "configuration" : String.join(", ", swept.stream().map(Configuration::shortKey)
                .toList()));
        header.add("measured on");
        ATTRIBUTES.values().forEach(header::add);
        OTHERS.values().forEach(header::add);
        header.add("runs (seeds)");
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> csv = new ArrayList<>();
        csv.add(List.of("configuration", "metric", "mean", "std", "n", "seeds"));
        for (Configuration c : configurations) {
            String label = c.label(swept);
            List<Source> logged = SOURCES.stream().filter(source -> logged(c, source.prefix())).toList();
            if (logged.isEmpty() && !others(c)) {
                continue;
            }
            // one row per source the runs logged (a row without one when they logged CLIP scores only)
            List<Source> shown = logged.isEmpty() ? java.util.Collections.singletonList(null) : logged;
            for (int i = 0; i < shown.size(); i++) {
                Source source = shown.get(i);
                List<String> row = new ArrayList<>(List.of(label, source == null ? "-" : source.label()));
                ATTRIBUTES.keySet().forEach(k -> row.add(source == null ? "" : cell(c, source.prefix() + k, csv, label)));
                boolean firstRow = i == 0;
                OTHERS.keySet().forEach(k -> row.add(firstRow ? cell(c, k, csv, label) : ""));
                row.add(c.runs().size() + " (" + c.seeds() + ")");
                rows.add(row);
            }
        }
        List<String> chance = new ArrayList<>(List.of("chance", "CLIP zero-shot"));
        ATTRIBUTES.keySet().forEach(k -> chance.add(CHANCE.containsKey(k) ? Stats.number(CHANCE.get(k)) : ""));
        OTHERS.keySet().forEach(k -> chance.add(""));
        chance.add("");
        rows.add(chance);
        page.table(header, rows);
        return csv;
    }

    private static boolean logged(Configuration c, String prefix) {
        return c.runs().stream().anyMatch(r -> r.finalMetrics().keySet().stream().anyMatch(k -> k.startsWith(prefix)));
    }

    private static boolean others(Configuration c) {
        return OTHERS.keySet().stream().anyMatch(k -> c.stats(k).n() > 0);
    }

    /** The formatted statistics of {@code key}, recorded once in {@code csv}; empty when no run logged it. */
    private static String cell(Configuration c, String key, List<List<String>> csv, String label) {
        Stats s = c.stats(key);
        if (s.n() == 0) {
            return "";
        }
        List<String> line = List.of(label, key, Double.toString(s.mean()), Double.toString(s.std()),
                Integer.toString(s.n()), c.seeds());
        if (!csv.contains(line)) {
            csv.add(line);
        }
        return s.format();
    }
}
