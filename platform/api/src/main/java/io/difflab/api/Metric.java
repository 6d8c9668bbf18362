package io.difflab.api;

import org.pf4j.ExtensionPoint;

import java.util.Map;

/**
 * Extension point: an evaluation of a run, selected by name in the spec's {@code metrics} list: of its
 * generated samples, or of its trained networks (see {@link #scoresSamples()}).
 */
public interface Metric extends ExtensionPoint, Named {

    /** Computes its values, keyed like {@code eval.fd}, {@code eval.precision}. */
    Map<String, Double> compute(MetricInput input);

    /**
     * Whether it scores generated samples (most metrics do). One that evaluates the run's trained
     * networks or the data alone (a CLIP's zero-shot accuracy) does not: it gets no samples
     * ({@link MetricInput#samples()} null) and also runs for a model that generates none.
     */
    default boolean scoresSamples() {
        return true;
    }

    /** Tags to record on the run (e.g. the evaluator checksum); empty by default. */
    default Map<String, String> tags(MetricInput input) {
        return Map.of();
    }
}
