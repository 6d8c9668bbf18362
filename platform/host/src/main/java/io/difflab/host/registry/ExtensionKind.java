package io.difflab.host.registry;

import io.difflab.api.DatasetProvider;
import io.difflab.api.GuidanceHead;
import io.difflab.api.Metric;
import io.difflab.api.ModelFamily;
import io.difflab.api.Named;
import io.difflab.api.NoiseEstimator;
import io.difflab.api.NoiseSchedule;
import io.difflab.api.Sampler;

import java.util.Arrays;
import java.util.Optional;

/**
 * The extension points of the API, with the word specs and the plugin table use for each
 * ({@code schedule}) and the noun error messages use ({@code noise schedule}).
 */
public enum ExtensionKind {
    MODEL(ModelFamily.class, "model", "model family"),
    DATASET(DatasetProvider.class, "dataset", "dataset provider"),
    SCHEDULE(NoiseSchedule.class, "schedule", "noise schedule"),
    ESTIMATOR(NoiseEstimator.class, "estimator", "noise estimator"),
    SAMPLER(Sampler.class, "sampler", "sampler"),
    GUIDANCE(GuidanceHead.class, "guidance", "guidance head"),
    METRIC(Metric.class, "metric", "metric");

    private final Class<? extends Named> point;
    private final String label;
    private final String noun;

    ExtensionKind(Class<? extends Named> point, String label, String noun) {
        this.point = point;
        this.label = label;
        this.noun = noun;
    }

    /** The extension point interface. */
    public Class<? extends Named> point() {
        return point;
    }

    /** The short word for it, as in a spec section ({@code schedule}). */
    public String label() {
        return label;
    }

    /** What one such extension is called in messages ({@code noise schedule}). */
    public String noun() {
        return noun;
    }

    /** The kind whose point is exactly {@code point}, if it is one of the API's. */
    public static Optional<ExtensionKind> of(Class<?> point) {
        return Arrays.stream(values()).filter(k -> k.point == point).findFirst();
    }

    /** The short word for any extension point: the kind's label, else the interface's simple name. */
    public static String labelOf(Class<?> point) {
        return of(point).map(ExtensionKind::label).orElse(point.getSimpleName());
    }

    /** The noun for any extension point: the kind's noun, else the interface's simple name. */
    public static String nounOf(Class<?> point) {
        return of(point).map(ExtensionKind::noun).orElse(point.getSimpleName());
    }
}
