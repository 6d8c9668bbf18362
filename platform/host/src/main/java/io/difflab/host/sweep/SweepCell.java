package io.difflab.host.sweep;

import io.difflab.host.spec.ExperimentSpec;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One cell of a sweep: its base spec with the sweep's values.
 *
 * @param index       its position, from 1
 * @param id          its id, made of its swept values ({@code classifier_scale3_ddim_steps25}); names its run folder
 * @param swept       swept key to value as shown (variant axes by name, spec keys, {@code seed})
 * @param base        its base spec file
 * @param overrides   every value the sweep sets on the base spec, in the order applied
 * @param skippedBy   the skip rule it matches ({@code skip[0] (method=none, guidance.scale=!0)}), or {@code null}
 * @param spec        the resolved spec, or {@code null} when skipped
 * @param trainingKey its {@link io.difflab.host.run.TrainingKey}, or {@code null} when skipped
 */
public record SweepCell(int index, String id, Map<String, String> swept, Path base, Map<String, Object> overrides,
                        String skippedBy, ExperimentSpec spec, String trainingKey) {

    public SweepCell {
        swept = Collections.unmodifiableMap(new LinkedHashMap<>(swept));
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    public boolean skipped() {
        return skippedBy != null;
    }
}
