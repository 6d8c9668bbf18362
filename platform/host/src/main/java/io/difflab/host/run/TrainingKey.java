package io.difflab.host.run;

import io.difflab.api.ExtensionRegistry;
import io.difflab.api.ModelFamily;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.host.spec.SpecYaml;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What identifies a trained model: a SHA-256 of the resolved spec without the sections that only
 * sampling and bookkeeping read ({@code name}, {@code sampler}, {@code guidance}, {@code sample},
 * {@code metrics}, {@code tracking}) and without the model keys its family names as sampling options
 * ({@link ModelFamily#samplingOptions()}). Two specs with the same key train the same networks (the
 * estimator and the family's auxiliary ones) step for step, so one training serves both.
 */
public final class TrainingKey {

    /** The top-level sections a training never reads. */
    public static final List<String> SAMPLING_ONLY = List.of("name", "sampler", "guidance", "sample", "metrics",
            "tracking");

    private TrainingKey() {
    }

    /** The key of {@code spec}, whose model family is in {@code registry}: 64 hex digits. */
    public static String of(ExperimentSpec spec, ExtensionRegistry registry) {
        Map<String, Object> tree = spec.tree();
        SAMPLING_ONLY.forEach(tree::remove);
        Set<String> samplingOptions = registry.get(ModelFamily.class, spec.model().getString("name"))
                .samplingOptions();
        if (!samplingOptions.isEmpty() && tree.get("model") instanceof Map<?, ?> model) {
            Map<Object, Object> kept = new LinkedHashMap<>(model);
            kept.keySet().removeAll(samplingOptions);
            tree.put("model", kept);
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(SpecYaml.dump(tree).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The first 8 digits, for tables and messages. */
    public static String shortForm(String key) {
        return key.substring(0, Math.min(8, key.length()));
    }
}
