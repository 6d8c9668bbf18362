package io.difflab.api;

import org.pf4j.ExtensionPoint;

import java.util.Map;

/** Extension point: an evaluation of generated samples, selected by name in the spec's {@code metrics} list. */
public interface Metric extends ExtensionPoint, Named {

    /** Computes its values, keyed like {@code eval.fd}, {@code eval.precision}. */
    Map<String, Double> compute(MetricInput input);

    /** Tags to record on the run (e.g. the evaluator checksum); empty by default. */
    default Map<String, String> tags(MetricInput input) {
        return Map.of();
    }
}
