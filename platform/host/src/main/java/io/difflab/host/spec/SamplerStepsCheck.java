package io.difflab.host.spec;

import io.difflab.api.Config;
import io.difflab.kit.sampling.SamplerSteps;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validation of {@code sampler.steps}: a count N, {@code ddimN} or counts per section, checked
 * against {@code schedule.timesteps} by guided-diffusion's rules ({@link SamplerSteps}), so that a
 * bad one is a spec problem at its key path before anything runs.
 */
final class SamplerStepsCheck {

    private SamplerStepsCheck() {
    }

    /**
     * The sampler section without a {@code steps} that is neither an integer nor a string (reported
     * here, in the terms of its three forms, rather than as "expected a string").
     */
    static Object withoutMistypedSteps(Object raw, Problems problems) {
        if (!(raw instanceof Map<?, ?> section) || !section.containsKey(SamplerSteps.KEY)) {
            return raw;
        }
        Object steps = section.get(SamplerSteps.KEY);
        if (steps == null || steps instanceof String || steps instanceof Integer
                || steps instanceof Long l && l == l.intValue()) {
            return raw;
        }
        problems.add("sampler." + SamplerSteps.KEY, "expected a step count N, 'ddimN' or counts per section like "
                + "'10,15,20', got " + OptionValues.describe(steps));
        Map<Object, Object> copy = new LinkedHashMap<>(section);
        copy.remove(SamplerSteps.KEY);
        return copy;
    }

    /**
     * The resolved sampler section with {@code steps} checked against {@code schedule.timesteps} and
     * kept as the spec wrote it: an integer for a count, else the string; {@code null} (with a
     * problem) when it is no valid spacing.
     */
    static Config checked(Config sampler, Config schedule, Problems problems) {
        if (sampler == null || schedule == null) {
            return sampler;
        }
        String problem = SamplerSteps.problem(sampler.getString(SamplerSteps.KEY), schedule.getInt("timesteps"));
        if (problem != null) {
            problems.add("sampler." + SamplerSteps.KEY, problem);
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>(sampler.asMap());
        values.put(SamplerSteps.KEY, SamplerSteps.normalized(values.get(SamplerSteps.KEY)));
        return new Config(sampler.path(), values);
    }
}
