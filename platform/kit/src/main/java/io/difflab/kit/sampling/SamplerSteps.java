package io.difflab.kit.sampling;

import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.Sampler;
import io.difflab.api.UserError;
import io.difflab.kit.schedule.TimestepSpacing;

/**
 * {@code sampler.steps}, the timesteps a sampler walks: a count N (spaced as the sampler's paper
 * does, see {@link SpacedSampler}; evenly otherwise), {@code ddimN} (DDIM's integer stride) or a list
 * of counts per section such as {@code 10,15,20}, with guided-diffusion's {@code space_timesteps}
 * rules (Nichol &amp; Dhariwal 2021, sec. 4). Absent, every timestep.
 */
public final class SamplerSteps {

    /** The key in the sampler section. */
    public static final String KEY = "steps";

    private SamplerSteps() {
    }

    /**
     * Checks a {@code sampler.steps} value against T: a message naming what is wrong, or {@code null}
     * when it is fine. Spec validation calls it, so a run never starts with a bad one.
     */
    public static String problem(Object steps, int timesteps) {
        if (!(steps instanceof Integer || steps instanceof String)) {
            return "expected a step count N, 'ddimN' or counts per section like '10,15,20', got " + steps;
        }
        try {
            TimestepSpacing.parse(timesteps, steps.toString());
            return null;
        } catch (UserError e) {
            return e.getMessage();
        }
    }

    /** The value as the spec should hold it: an integer for a plain count, else the trimmed string. */
    public static Object normalized(Object steps) {
        String s = steps.toString().strip();
        return TimestepSpacing.isCount(s) ? (Object) Integer.valueOf(s) : s;
    }

    /** The kept original timesteps of {@code full} for the sampler section {@code config}. */
    public static int[] timesteps(DiffusionSchedule full, Sampler sampler, Config config) {
        int total = full.timesteps();
        if (!config.has(KEY)) {
            return TimestepSpacing.sections(total, total);
        }
        String steps = config.getString(KEY).strip();
        if (TimestepSpacing.isCount(steps) && sampler instanceof SpacedSampler spaced) {
            int count = Integer.parseInt(steps);
            if (count < 1 || count > total) {
                throw new UserError(config.path() + "." + KEY + ": cannot take " + count + " steps of " + total
                        + " timesteps; use between 1 and " + total);
            }
            return spaced.spacing(full, count, config);
        }
        try {
            return TimestepSpacing.parse(total, steps);
        } catch (UserError e) {
            throw new UserError(config.path() + "." + KEY + ": " + e.getMessage(), e);
        }
    }

    /** {@code full} respaced to the sampler's steps ({@code full} itself when every timestep is kept). */
    public static DiffusionSchedule schedule(DiffusionSchedule full, Sampler sampler, Config config) {
        int[] kept = timesteps(full, sampler, config);
        return kept.length == full.timesteps() ? full : full.respace(kept);
    }
}
